// Where the editor's checks run. Validating a draft of a few dozen devices takes well under a
// millisecond, so it runs at once on the page; a draft of thousands of devices, or a big imported
// file, takes tens of milliseconds (more before the page's JavaScript engine has warmed up), long
// enough to freeze the page for a moment on every edit. Those are sent to a module worker
// (check-worker.ts) running the same validator, and the page stays responsive meanwhile.
// Where workers are missing (Node, a test) or the worker fails, the check runs on the page.

import type { Scenario } from '../sim/scenario/format';
import { validateScenario, type ScenarioIssue, type ValidationResult } from '../sim/scenario/validate';
import { jsonOf, scenarioFromJson } from './texts';
import type { ImportResult } from './transfer';

/**
 * transfer.ts's importText, loaded when a file is first imported on this thread: import and export
 * are what few readers press, and edit mode's JavaScript has a budget (scripts/page-js-weight.mjs).
 */
const importText = async (text: string, id: string): Promise<ImportResult> => (await import('./transfer')).importText(text, id);

/** Drafts with more devices than this are checked off the main thread. */
export const OFF_THREAD_DEVICES = 200;
/** Imported files longer than this (characters) are parsed and checked off the main thread: about 200 devices' worth. */
export const OFF_THREAD_CHARS = 40_000;

type Job = { job: 'validate'; text: string } | { job: 'import'; text: string; id: string };
export type CheckRequest = Job & { seq: number };
/** A verdict as the worker sends it: a valid scenario as its JSON text. */
export type Checked =
  | { ok: true; scenarioText: string; warnings: ScenarioIssue[]; note?: string }
  | { ok: false; errors: ScenarioIssue[]; omittedErrors: number; warnings: ScenarioIssue[] }
  | { ok: false; errors: string[]; omitted: number };
export type CheckResponse = { seq: number; checked: Checked };

export interface Checker {
  /** The validator's verdict on a draft. */
  validate(draft: Scenario): Promise<ValidationResult>;
  /** A file's text, parsed and validated for experiment `id`. */
  checkImport(text: string, id: string): Promise<ImportResult>;
}

/** Runs every check at once on the calling thread (small drafts; places without workers). */
export const inline: Checker = {
  validate: async (draft) => validateScenario(draft),
  checkImport: (text, id) => importText(text, id),
};

type Waiting = { resolve: (response: CheckResponse) => void; reject: (error: Error) => void };

/** A checker backed by one module worker, started on first use; any failure falls back to `inline`. */
function workerChecker(): Checker {
  let worker: Worker | null = null;
  let broken = false;
  let seq = 0;
  const waiting = new Map<number, Waiting>();
  const failAll = (why: string) => {
    broken = true;
    worker?.terminate();
    worker = null;
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
  };
  const ask = (request: Job): Promise<CheckResponse> => {
    if (broken) return Promise.reject(new Error('the checking worker is not available'));
    if (!worker) {
      // Vite bundles the worker as a file of its own: allowed by the site's CSP (script-src 'self').
      worker = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module', name: 'vnet-live checker' });
      worker.onmessage = ({ data }: MessageEvent<CheckResponse>) => {
        const w = waiting.get(data.seq);
        waiting.delete(data.seq);
        w?.resolve(data);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        failAll(event.message || 'the checking worker failed');
      };
      worker.onmessageerror = () => failAll('the checking worker sent something unreadable');
    }
    const id = ++seq;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      try {
        const message: CheckRequest = { ...request, seq: id };
        worker!.postMessage(message);
      } catch (error) {
        waiting.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  };
  return {
    validate: (draft) =>
      ask({ job: 'validate', text: jsonOf(draft) })
        .then(({ checked }): ValidationResult => {
          if (checked.ok) return { ok: true, scenario: scenarioFromJson(checked.scenarioText), warnings: checked.warnings };
          if ('omittedErrors' in checked) return checked;
          throw new Error('the checking worker answered another question');
        })
        .catch(() => validateScenario(draft)),
    checkImport: (text, id) =>
      ask({ job: 'import', text, id })
        .then(({ checked }): ImportResult => {
          if (checked.ok) {
            const scenario = scenarioFromJson(checked.scenarioText);
            return checked.note ? { ok: true, scenario, warnings: checked.warnings, note: checked.note } : { ok: true, scenario, warnings: checked.warnings };
          }
          if ('omitted' in checked) return checked;
          throw new Error('the checking worker answered another question');
        })
        .catch(() => importText(text, id)),
  };
}

let shared: Checker | null = null;

/** The page's checker for big work: a worker where the browser has them, else `inline`. */
export function offThreadChecker(): Checker {
  shared ??= typeof Worker === 'undefined' ? inline : workerChecker();
  return shared;
}
