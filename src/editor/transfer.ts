// Export and import: the experiment as a JSON file in the documented scenario format
// (content/scenarios/README.md), the same file `npm run scenario -- file.json` runs, read by the
// same reader, so that a bad file gets the same words in the editor as on the command line.

import type { Scenario } from '../sim/scenario/format';
import { moreErrorsLine } from '../sim/scenario/limits';
import { parseScenarioJson, readValidation } from '../sim/scenario/read';
import { validateScenario, type ScenarioIssue } from '../sim/scenario/validate';

/** The file's text: the scenario as formatted JSON, with a final newline. */
export function exportText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** "bridge.json" for "hub-vs-bridge/bridge". */
export function exportFileName(id: string): string {
  return `${id.split('/').pop() || 'scenario'}.json`;
}

export type ImportResult =
  | {
      ok: true;
      scenario: Scenario;
      /** The validator's warnings on it (the editor lists them, as it does for any draft). */
      warnings: ScenarioIssue[];
      note?: string;
    }
  | {
      ok: false;
      /** The lines `npm run scenario` prints for the same file (without its file name): "path: message", at most MAX_REPORTED_ERRORS. */
      errors: string[];
      /** How many errors were left out of `errors`. */
      omitted: number;
    };

/**
 * Reads a scenario file for the player of experiment `id` with the CLI's reader (read.ts: the
 * same size limit, byte-order mark, validator, words and cap); a file made for another experiment
 * is adopted under this one's id. Pure data in and out: checker.ts may run it in a worker.
 */
export function importText(text: string, id: string): ImportResult {
  const parsed = parseScenarioJson(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error], omitted: 0 };
  let note: string | undefined;
  let data = parsed.data;
  // Only an id that is text is adopted: anything else is left for the validator to name (and a
  // deeply nested one is never turned into text, which would recurse).
  const theirs = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as { id?: unknown }).id : undefined;
  if (typeof theirs === 'string' && theirs !== id) {
    note = `The file was made for experiment "${theirs.slice(0, 100)}"; it now replaces this one.`;
    data = { ...(data as object), id };
  }
  const result = validateScenario(data);
  if (!result.ok) {
    const read = readValidation(result);
    return { ok: false, errors: read.ok ? [] : read.errors, omitted: read.ok ? 0 : read.omitted };
  }
  return note ? { ok: true, scenario: result.scenario, warnings: result.warnings, note } : { ok: true, scenario: result.scenario, warnings: result.warnings };
}

/** How many errors the editor's one-sentence notice lists before "… and N more". */
const ERRORS_IN_NOTICE = 4;

/** The editor's sentence for a refused file: the first errors in the CLI's words, then how many more. */
export function importFailureText(fileName: string, failure: { errors: readonly string[]; omitted: number }): string {
  const shown = failure.errors.slice(0, ERRORS_IN_NOTICE);
  const more = moreErrorsLine(failure.errors.length - shown.length + failure.omitted);
  return `${fileName} could not be imported: ${shown.join('; ')}${more ? ` ${more}` : ''}.`;
}
