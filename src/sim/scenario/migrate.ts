// Opens a document of an older scenario format as the current one, before validation: every v1
// file, saved edit and share link keeps opening. v2 only added fields (nodes, bridges inside a
// namespace, veth links), so a v1 document is a v2 document under another format string.

import { SCENARIO_FORMAT, SCENARIO_FORMAT_V1 } from './format';

/**
 * The input as a document of the current format: a v1 document gets "vnet-live/scenario@2" as its
 * format and nothing else changes (a shallow copy; the input is left as it was). Anything else,
 * the current format, an unknown one or no scenario at all, is returned as it is, for the
 * validator to judge. Never throws.
 */
export function migrateScenario(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  if (!Object.hasOwn(input, 'format') || (input as { format?: unknown }).format !== SCENARIO_FORMAT_V1) return input;
  // A spread copies own fields in their order ("format" stays first where it was), "__proto__" included as a plain field.
  return { ...input, format: SCENARIO_FORMAT };
}
