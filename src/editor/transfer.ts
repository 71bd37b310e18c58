// Export and import: the experiment as a JSON file in the documented scenario format
// (content/scenarios/README.md), the same file `npm run scenario -- file.json` runs, read by the
// same reader, so that a bad file gets the same words in the editor as on the command line.

import type { Scenario } from '../sim/scenario/format';
import { MAX_TITLE_LENGTH, moreErrorsLine } from '../sim/scenario/limits';
import { parseScenarioJson, readValidation } from '../sim/scenario/read';
import { validateScenario, type ScenarioIssue } from '../sim/scenario/validate';
import { jsonOf } from './texts';

/** What the title of an edited experiment ends with once it is shared or exported. */
export const EDITED_MARK = ' (edited version)';

/**
 * The experiment as it leaves the page, by share link or file: when the reader changed it but not
 * its title, the title says it is an edited version, so that whoever opens it (the reader later,
 * or someone they sent it to) does not take it for the chapter's. A title the reader wrote
 * themselves, or one already marked, stays; an experiment as the chapter has it is left as it is.
 */
export function asEditedVersion(scenario: Scenario, original: Scenario): Scenario {
  if (scenario.title !== original.title || scenario.title.endsWith(EDITED_MARK)) return scenario;
  if (jsonOf(scenario) === jsonOf(original)) return scenario;
  const room = MAX_TITLE_LENGTH - EDITED_MARK.length;
  const base = scenario.title.length > room ? `${scenario.title.slice(0, room - 1).trimEnd()}…` : scenario.title;
  return { ...scenario, title: `${base}${EDITED_MARK}` };
}

/** The file's text: the scenario as formatted JSON, with a final newline. */
export function exportText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** "bridge.json" for "hub-vs-bridge/bridge"; "bridge-edited.json" for an edited version of it. */
export function exportFileName(id: string, edited = false): string {
  return `${id.split('/').pop() || 'scenario'}${edited ? '-edited' : ''}.json`;
}

/**
 * The editor's sentence after Export: what the file is and how to open it again here. A reader
 * does not need the command line (`npm run scenario` runs the same file, for developers).
 */
export function exportNotice(fileName: string, edited: boolean): string {
  const what = edited ? 'your edited version of this experiment' : 'this experiment as the chapter has it';
  return `Exported ${fileName}: ${what}, saved as a scenario file (JSON) where your browser keeps downloads. To open it again, come back to this experiment, press Edit experiment and choose Import JSON.`;
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
