// Reads scenario text (a file on the command line, a file imported in the editor, a share link's
// inflated JSON) into a validated scenario or into lines for a reader: the one reader the CLI and
// the browser share, so that the same bad file gets the same words, and the same cap, everywhere.
// Either format opens: a v1 document comes out as v2 (validateScenario migrates it, migrate.ts).

import type { Scenario } from './format';
import { formatCount, jsonTooLong, MAX_JSON_LENGTH, MAX_REPORTED_ERRORS, moreErrorsLine } from './limits';
import { validateScenario, type ValidationResult } from './validate';

/** U+FEFF at the start of a UTF-8 file: Windows editors write it, Node's readFileSync keeps it (the browser's File.text() drops it), and JSON.parse refuses it. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * A file of more bytes than this decodes to more than MAX_JSON_LENGTH characters whatever it
 * holds (UTF-8 takes at most 3 bytes per UTF-16 unit), so it can be refused without being read.
 */
export const MAX_FILE_BYTES = 3 * MAX_JSON_LENGTH;

/** Refuses a file from its size alone, before reading it: a message, or null when it may be read. */
export function fileTooLarge(bytes: number): string | null {
  return bytes > MAX_FILE_BYTES ? `the file is ${formatCount(bytes)} bytes long; a scenario of at most ${formatCount(MAX_JSON_LENGTH)} characters is accepted` : null;
}

export type ParsedJson = { ok: true; data: unknown } | { ok: false; error: string };

/** Parses scenario JSON text: refuses text over the size limit before parsing, and reads past a byte-order mark. Never throws. */
export function parseScenarioJson(text: string): ParsedJson {
  // The mark is not part of the scenario: it changes neither the verdict nor the length counted.
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  const tooLong = jsonTooLong(body);
  if (tooLong) return { ok: false, error: tooLong };
  try {
    return { ok: true, data: JSON.parse(body) as unknown };
  } catch (err) {
    // V8's message names the position ("… in JSON at position 12 (line 2 column 3)"): worth keeping.
    const why = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'parse error';
    return { ok: false, error: `the file is not valid JSON (${why})` };
  }
}

export type ReadResult =
  | { ok: true; scenario: Scenario; warnings: string[] }
  | {
      ok: false;
      /** "path: message" lines, at most MAX_REPORTED_ERRORS of them. */
      errors: string[];
      /** How many more errors there were (0 when none was left out). */
      omitted: number;
      warnings: string[];
    };

/**
 * Reads and validates scenario text. `adapt` may change the parsed data before validation (the
 * editor adopts a file made for another experiment under its own id). Never throws.
 */
export function readScenarioText(text: string, adapt?: (data: unknown) => unknown): ReadResult {
  const parsed = parseScenarioJson(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error], omitted: 0, warnings: [] };
  return readScenarioData(adapt ? adapt(parsed.data) : parsed.data);
}

/** Validates parsed scenario data into the same result as readScenarioText (for callers that parse on their own terms). Never throws. */
export function readScenarioData(data: unknown): ReadResult {
  return readValidation(validateScenario(data));
}

/** The validator's verdict as lines for a reader (the same words as readScenarioData gives for the data it judged). */
export function readValidation(result: ValidationResult): ReadResult {
  const warnings = cappedLines(result.warnings.map((w) => `${w.path}: ${w.message}`));
  if (!result.ok) {
    const errors = result.errors.map((e) => `${e.path}: ${e.message}`);
    // validateScenario caps its own list; cap again here so that this function's promise holds on its own.
    const shown = errors.slice(0, MAX_REPORTED_ERRORS);
    return { ok: false, errors: shown, omitted: result.omittedErrors + errors.length - shown.length, warnings };
  }
  return { ok: true, scenario: result.scenario, warnings };
}

/** The lines to print for a failed read: every listed error, then "… and 1,234 more" when some were left out. */
export function errorLines(failure: { errors: readonly string[]; omitted: number }): string[] {
  const more = moreErrorsLine(failure.omitted);
  return more ? [...failure.errors, more] : [...failure.errors];
}

/** Warnings are not capped by the validator (a 5,000-host file can have one per NIC); list at most as many as errors. */
function cappedLines(lines: string[]): string[] {
  if (lines.length <= MAX_REPORTED_ERRORS) return lines;
  return [...lines.slice(0, MAX_REPORTED_ERRORS), moreErrorsLine(lines.length - MAX_REPORTED_ERRORS)];
}
