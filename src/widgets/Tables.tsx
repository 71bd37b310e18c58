// The tables a reader watches fill: each bridge's or switch's MAC table (with its VLAN on a
// switch), each host's and router's ARP cache, their routing tables where routing matters, and
// what became of every action. Real <table>s with captions, each scrolling inside its own box.

import { ScrollBox } from './ScrollBox';
import type { ArpRowView, MacRowView, OutcomeView, RouteRowView, TableView } from './player-model';

export interface TablesProps {
  macTables: TableView<MacRowView>[];
  arpCaches: TableView<ArpRowView>[];
  routingTables?: readonly TableView<RouteRowView>[];
}

function EmptyRow({ columns }: { columns: number }) {
  return (
    <tr>
      <td colSpan={columns} class="vp-empty">
        empty
      </td>
    </tr>
  );
}

export function Tables({ macTables, arpCaches, routingTables = [] }: TablesProps) {
  return (
    <div class="vp-tables">
      {macTables.map((t) => (
        <ScrollBox key={t.device} label={`MAC table of ${t.name}`}>
          <table class="vp-table">
            <caption>MAC table of {t.name}</caption>
            <thead>
              <tr>
                {t.detailed && <th scope="col">VLAN</th>}
                <th scope="col">MAC</th>
                <th scope="col">Port</th>
                <th scope="col">Age (s)</th>
              </tr>
            </thead>
            <tbody>
              {t.rows.length === 0 ? (
                <EmptyRow columns={t.detailed ? 4 : 3} />
              ) : (
                t.rows.map((r) => (
                  <tr key={`${r.vlan}/${r.mac}`}>
                    {t.detailed && <td class="vp-num">{r.vlan}</td>}
                    <td class="vp-mono">{r.mac}</td>
                    <td>{r.port}</td>
                    <td class="vp-num">{r.age}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollBox>
      ))}
      {arpCaches.map((t) => (
        <ScrollBox key={t.device} label={`ARP cache of ${t.name}`}>
          <table class="vp-table">
            <caption>ARP cache of {t.name}</caption>
            <thead>
              <tr>
                <th scope="col">IP</th>
                <th scope="col">MAC</th>
                {t.detailed && <th scope="col">Interface</th>}
              </tr>
            </thead>
            <tbody>
              {t.rows.length === 0 ? (
                <EmptyRow columns={t.detailed ? 3 : 2} />
              ) : (
                t.rows.map((r) => (
                  <tr key={r.ip}>
                    <td class="vp-mono">{r.ip}</td>
                    <td class="vp-mono">{r.mac}</td>
                    {t.detailed && <td>{r.dev}</td>}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollBox>
      ))}
      {routingTables.map((t) => (
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
              {t.rows.length === 0 ? (
                <EmptyRow columns={3} />
              ) : (
                t.rows.map((r) => (
                  <tr key={r.destination}>
                    <td class="vp-mono">{r.destination}</td>
                    <td class="vp-mono">{r.via || <span class="vp-muted">on-link</span>}</td>
                    <td>{r.dev}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollBox>
      ))}
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
