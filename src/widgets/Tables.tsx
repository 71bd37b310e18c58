// The tables a reader watches fill: each bridge's MAC table, each host's ARP cache, and what
// became of every action. Real <table>s with captions, each scrolling inside its own box.

import { ScrollBox } from './ScrollBox';
import type { ArpRowView, MacRowView, OutcomeView, TableView } from './player-model';

export interface TablesProps {
  macTables: TableView<MacRowView>[];
  arpCaches: TableView<ArpRowView>[];
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

export function Tables({ macTables, arpCaches }: TablesProps) {
  return (
    <div class="vp-tables">
      {macTables.map((t) => (
        <ScrollBox key={t.device} label={`MAC table of ${t.name}`}>
          <table class="vp-table">
            <caption>MAC table of {t.name}</caption>
            <thead>
              <tr>
                <th scope="col">MAC</th>
                <th scope="col">Port</th>
                <th scope="col">Age (s)</th>
              </tr>
            </thead>
            <tbody>
              {t.rows.length === 0 ? (
                <EmptyRow columns={3} />
              ) : (
                t.rows.map((r) => (
                  <tr key={r.mac}>
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
              </tr>
            </thead>
            <tbody>
              {t.rows.length === 0 ? (
                <EmptyRow columns={2} />
              ) : (
                t.rows.map((r) => (
                  <tr key={r.ip}>
                    <td class="vp-mono">{r.ip}</td>
                    <td class="vp-mono">{r.mac}</td>
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
                {o.text ? `${o.label}: ${o.text}` : o.status === 'queued' ? `${o.label} (at t = ${o.at} ms)` : o.label}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
