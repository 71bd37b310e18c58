// Export and import: the experiment as a JSON file in the documented scenario format
// (content/scenarios/README.md), the same file `npm run scenario -- file.json` runs.

import type { Scenario } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';

/** The file's text: the scenario as formatted JSON, with a final newline. */
export function exportText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** "bridge.json" for "hub-vs-bridge/bridge". */
export function exportFileName(id: string): string {
  return `${id.split('/').pop() || 'scenario'}.json`;
}

export type ImportResult = { ok: true; scenario: Scenario; note?: string } | { ok: false; errors: string[] };

/** Reads a scenario file for the player of experiment `id`; a file made for another experiment is adopted under this one's id. */
export function importText(text: string, id: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`the file is not JSON (${err instanceof Error ? err.message : 'parse error'})`] };
  }
  let note: string | undefined;
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'id' in data && (data as { id: unknown }).id !== id) {
    note = `The file was made for experiment "${String((data as { id: unknown }).id)}"; it now replaces this one.`;
    data = { ...data, id };
  }
  const result = validateScenario(data);
  if (!result.ok) return { ok: false, errors: result.errors.map((e) => `${e.path}: ${e.message}`) };
  return note ? { ok: true, scenario: result.scenario, note } : { ok: true, scenario: result.scenario };
}
