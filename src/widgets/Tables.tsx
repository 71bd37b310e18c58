// The tables a reader watches fill: each bridge's or switch's MAC table (with its VLAN on a
// switch), each host's and router's ARP cache, their routing tables where routing matters, and
// what became of every action. Real <table>s with captions, each scrolling inside its own box.
// A big topology has thousands of tables and a bridge thousands of rows: each list shows a bounded
// number first (TABLES_SHOWN tables of a kind, ROWS_SHOWN rows of a table) and says how many more.

import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ScrollBox } from './ScrollBox';
import { ShowMore } from './ShowMore';
import type { ArpRowView, ConntrackRowView, MacRowView, OutcomeView, RouteRowView, TableView } from './player-model';

export const TABLES_SHOWN = 12;
export const TABLES_PAGE = 24;
export const ROWS_SHOWN = 64;
export const ROWS_PAGE = 256;

/** The first tables of a kind, then "… and N more" with a button for the next page of them. */
function Bounded<T>({ items, what, children }: { items: readonly T[]; what: string; children: (item: T) => ComponentChildren }) {
  const [shown, setShown] = useState(TABLES_SHOWN);
  return (
    <>
      {items.slice(0, shown).map(children)}
      <ShowMore hidden={items.length - Math.min(shown, items.length)} shown={shown} initial={TABLES_SHOWN} what={what} page={TABLES_PAGE} onShow={setShown} class="vp-more--tables" />
    </>
  );
}

/** A table's body rows, at most `shown` of them, and a row saying how many more with a button. */
function Rows<R>({ rows, columns, what, children }: { rows: readonly R[]; columns: number; what: string; children: (row: R) => ComponentChildren }) {
  const [shown, setShown] = useState(ROWS_SHOWN);
  const hidden = rows.length - Math.min(shown, rows.length);
  if (rows.length === 0) return <EmptyRow columns={columns} />;
  return (
    <>
      {rows.slice(0, shown).map(children)}
      {(hidden > 0 || shown > ROWS_SHOWN) && (
        <tr>
          <td colSpan={columns} class="vp-more-cell">
            <ShowMore hidden={hidden} shown={shown} initial={ROWS_SHOWN} what={what} page={ROWS_PAGE} onShow={setShown} />
          </td>
        </tr>
      )}
    </>
  );
}

export interface TablesProps {
  macTables: TableView<MacRowView>[];
  arpCaches: TableView<ArpRowView>[];
  routingTables?: readonly TableView<RouteRowView>[];
  /** The connection tables of namespaces that do NAT. */
  conntrack?: readonly TableView<ConntrackRowView>[];
  /**
   * The run's version (it changes with every step, step back and reset): rows that are new or
   * changed since the tables were last drawn at another version are highlighted, and stay so until
   * the next one (choosing a log line redraws the tables at the same version).
   */
  version?: number;
}

// A VXLAN FDB row is its MAC and remote: the flood list has one row per remote VTEP.
const macKey = (table: string, r: MacRowView, vxlan?: boolean) => `${table}|${r.vlan}/${r.mac}${vxlan ? ` ${r.port}` : ''}`;
const arpKey = (table: string, r: ArpRowView) => `${table}|${r.dev} ${r.ip}`;

/**
 * The MAC and ARP rows a move of the run changed: learned, moved to another port, or answered by
 * another MAC (an entry only refreshed, its age reset, is not a change). Empty at the first drawing.
 */
function useChangedRows(macTables: readonly TableView<MacRowView>[], arpCaches: readonly TableView<ArpRowView>[], version: number | undefined): ReadonlySet<string> {
  const seen = useRef<{ version: number | undefined; values: Map<string, string>; changed: ReadonlySet<string> } | null>(null);
  const last = seen.current;
  // Redrawn at the same version (a log line chosen): the same marks, and nothing to recompute.
  if (last !== null && last.version === version) return last.changed;
  const values = new Map<string, string>();
  for (const t of macTables) for (const r of t.rows) values.set(macKey(t.device, r, t.vxlan), r.port);
  for (const t of arpCaches) for (const r of t.rows) values.set(arpKey(t.device, r), r.mac);
  const changed = new Set<string>();
  if (last !== null) for (const [key, value] of values) if (last.values.get(key) !== value) changed.add(key);
  seen.current = { version, values, changed };
  return changed;
}

const changedClass = (changed: ReadonlySet<string>, key: string) => (changed.has(key) ? 'vp-row--changed' : undefined);

function EmptyRow({ columns }: { columns: number }) {
  return (
    <tr>
      <td colSpan={columns} class="vp-empty">
        empty
      </td>
    </tr>
  );
}

/** Whose a row's MAC address is: a device's name, or a dash for an address no device of the scenario has. */
function Owner({ owner }: { owner: string }) {
  return <td>{owner || <span class="vp-muted" title="no device of this experiment has this address">—</span>}</td>;
}

export function Tables({ macTables, arpCaches, routingTables = [], conntrack = [], version }: TablesProps) {
  const changed = useChangedRows(macTables, arpCaches, version);
  return (
    <div class={`vp-tables${macTables.length + arpCaches.length + routingTables.length + conntrack.length > TABLES_SHOWN ? ' vp-tables--many' : ''}`}>
      <Bounded items={conntrack} what="connection tables">
        {(t) => (
        <ScrollBox key={t.device} label={`Connection tracking of ${t.name}`}>
          <table class="vp-table">
            <caption>Connection tracking of {t.name}</caption>
            <thead>
              <tr>
                <th scope="col">Protocol</th>
                <th scope="col">First packet</th>
                <th scope="col">Replies expected</th>
                <th scope="col">NAT</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              <Rows rows={t.rows} columns={5} what="flows">
                {(r) => (
                  <tr key={r.original}>
                    <td>{r.protocol}</td>
                    <td class="vp-mono">{r.original}</td>
                    <td class="vp-mono">{r.reply}</td>
                    <td>{r.nat || <span class="vp-muted">none</span>}</td>
                    <td>{r.status || 'replied'}</td>
                  </tr>
                )}
              </Rows>
            </tbody>
          </table>
        </ScrollBox>
        )}
      </Bounded>
      <Bounded items={macTables} what="MAC tables">
        {(t) => (
        <ScrollBox key={t.device} label={`${t.vxlan ? 'VXLAN FDB' : 'MAC table'} of ${t.name}`}>
          <table class="vp-table">
            <caption>{t.vxlan ? 'VXLAN FDB' : 'MAC table'} of {t.name}</caption>
            <thead>
              <tr>
                {t.detailed && <th scope="col">VLAN</th>}
                <th scope="col">MAC</th>
                <th scope="col">{t.vxlan ? 'Remote VTEP' : 'Port'}</th>
                <th scope="col">Age (s)</th>
                <th scope="col">Whose</th>
              </tr>
            </thead>
            <tbody>
              <Rows rows={t.rows} columns={t.detailed ? 5 : 4} what="entries">
                {(r) => (
                  <tr key={macKey('', r, t.vxlan)} class={changedClass(changed, macKey(t.device, r, t.vxlan))}>
                    {t.detailed && <td class="vp-num">{r.vlan}</td>}
                    <td class="vp-mono">{r.mac}</td>
                    <td>{r.port}</td>
                    <td class="vp-num">{r.age}</td>
                    <Owner owner={r.owner} />
                  </tr>
                )}
              </Rows>
            </tbody>
          </table>
        </ScrollBox>
        )}
      </Bounded>
      <Bounded items={arpCaches} what="ARP caches">
        {(t) => (
        <ScrollBox key={t.device} label={`ARP cache of ${t.name}`}>
          <table class="vp-table">
            <caption>ARP cache of {t.name}</caption>
            <thead>
              <tr>
                <th scope="col">IP</th>
                <th scope="col">MAC</th>
                {t.detailed && <th scope="col">Interface</th>}
                <th scope="col">Whose</th>
              </tr>
            </thead>
            <tbody>
              <Rows rows={t.rows} columns={t.detailed ? 4 : 3} what="entries">
                {(r) => (
                  <tr key={`${r.dev} ${r.ip}`} class={changedClass(changed, arpKey(t.device, r))}>
                    <td class="vp-mono">{r.ip}</td>
                    <td class="vp-mono">{r.mac}</td>
                    {t.detailed && <td>{r.dev}</td>}
                    <Owner owner={r.owner} />
                  </tr>
                )}
              </Rows>
            </tbody>
          </table>
        </ScrollBox>
        )}
      </Bounded>
      <Bounded items={routingTables} what="routing tables">
        {(t) => (
        <ScrollBox key={t.device} label={`Routing table of ${t.name}`}>
          <table class="vp-table">
            <caption>Routing table of {t.name}</caption>
            <thead>
              <tr>
                <th scope="col">Destination</th>
                <th scope="col">Via</th>
                <th scope="col">Interface</th>
              </tr>
            </thead>
            <tbody>
              <Rows rows={t.rows} columns={3} what="routes">
                {(r) => (
                  <tr key={r.destination}>
                    <td class="vp-mono">{r.destination}</td>
                    <td class="vp-mono">{r.via || <span class="vp-muted">on-link</span>}</td>
                    <td>{r.dev}</td>
                  </tr>
                )}
              </Rows>
            </tbody>
          </table>
        </ScrollBox>
        )}
      </Bounded>
    </div>
  );
}

const STATUS: Record<OutcomeView['status'], { symbol: string; words: string }> = {
  ok: { symbol: '✓', words: 'succeeded' },
  failed: { symbol: '✗', words: 'failed' },
  running: { symbol: '…', words: 'in progress' },
  queued: { symbol: '◷', words: 'queued' },
  stopped: { symbol: '■', words: 'stopped' },
};

export function Outcomes({ idPrefix, outcomes }: { idPrefix: string; outcomes: OutcomeView[] }) {
  return (
    <div class="vp-outcomes">
      <p class="vp-panel-title" id={`${idPrefix}-outcomes-title`}>
        Actions
      </p>
      {outcomes.length === 0 ? (
        <p class="vp-muted">No actions yet.</p>
      ) : (
        <ul aria-labelledby={`${idPrefix}-outcomes-title`}>
          {outcomes.map((o) => {
            const status = STATUS[o.status];
            return (
              <li key={o.id} class={`vp-outcome vp-outcome--${o.status}`}>
                <span class="vp-outcome-sym" aria-hidden="true">
                  {status.symbol}
                </span>{' '}
                <span class="visually-hidden">{status.words}: </span>
                {o.text ? `${o.label}: ${o.text}` : o.status === 'queued' ? `${o.label} (at t = ${o.at} ms)` : o.status === 'stopped' ? `${o.label}: never finished, the run was stopped` : o.label}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
