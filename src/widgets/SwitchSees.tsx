// Chapter "macvlan vs ipvlan vs bridge": what the host's switch port sees in each design, against a
// port-security limit the reader sets. Every answer was computed at build time on the core
// (switchSees in src/scenarios/reach-matrix.ts: the host, c1 and c2 each ping the LAN host with
// port p1 limited to 1, 2, 3 or any number of MACs); this island only chooses which to show, so it
// needs no core.

import { useEffect, useId, useState } from 'preact/hooks';
import './switch-sees.css';

export interface SwitchSeesRow {
  /** The design's name. */
  name: string;
  /** Per limit (in the order of `limits`): the MACs learned on p1 with their owners, and each ping's fate. */
  byLimit: { learned: { mac: string; owner: string }[]; pings: { from: string; ok: boolean; result: string }[] }[];
}

export interface SwitchSeesProps {
  /** The limits offered, as the select shows them ("1", "no limit"). */
  limits: string[];
  /** The one shown first. */
  initial: number;
  rows: SwitchSeesRow[];
}

export default function SwitchSees({ limits, initial, rows }: SwitchSeesProps) {
  const [chosen, setChosen] = useState(initial);
  const id = `ss${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  // A limit chosen before the island hydrated (the server-rendered select works on its own) is kept.
  useEffect(() => {
    const before = Number((document.getElementById(`${id}-limit`) as HTMLSelectElement | null)?.value);
    if (Number.isInteger(before) && before >= 0 && before < limits.length) setChosen(before);
  }, []);
  const caption = `Port p1 with ${limits[chosen] === 'no limit' ? 'no limit' : `a limit of ${limits[chosen]} MAC${limits[chosen] === '1' ? '' : 's'}`}`;
  return (
    <section class="switch-sees" aria-labelledby={`${id}-title`}>
      <p class="switch-sees-title" id={`${id}-title`}>
        What the switch sees
      </p>
      <p class="switch-sees-control">
        <label for={`${id}-limit`}>MAC addresses port p1 may learn </label>
        <select id={`${id}-limit`} value={String(chosen)} onChange={(e) => setChosen(Number((e.target as HTMLSelectElement).value))}>
          {limits.map((label, i) => (
            <option value={String(i)}>{label}</option>
          ))}
        </select>
      </p>
      <div class="table-scroll" role="region" aria-label={`${caption} (scrolls sideways)`} tabIndex={0}>
        <table class="experiment-table">
          <caption aria-live="polite">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Design</th>
              <th scope="col">MACs learned on p1</th>
              <th scope="col">Ping to the LAN host answered?</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const seen = row.byLimit[chosen]!;
              return (
                <tr>
                  <th scope="row">{row.name}</th>
                  <td>
                    <strong>
                      {seen.learned.length} MAC{seen.learned.length === 1 ? '' : 's'}
                    </strong>
                    <ul class="switch-sees-list">
                      {seen.learned.map((l) => (
                        <li>
                          <code>{l.mac}</code> {l.owner}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <ul class="switch-sees-list">
                      {seen.pings.map((p) => (
                        <li class={p.ok ? 'switch-sees-ok' : 'switch-sees-no'}>
                          <span aria-hidden="true">{p.ok ? '✓ ' : '✗ '}</span>
                          {p.from}: {p.ok ? 'yes' : 'no'}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
