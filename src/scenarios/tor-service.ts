// What a ToR worker (tor-worker.ts) does with its requests, apart from the worker itself, so that
// tests can drive it: runs each request a slice of steps at a time and, between slices, says how
// many steps it has run and lets newer requests in; a newer one replaces the request running, which
// is dropped unanswered.

import { startTor, type TorDesign, type TorRun } from './tor';

export interface TorRequest {
  seq: number;
  design: TorDesign;
  racks: number;
  vms: number;
  limit: number;
}

/** The counts, the error, or (after each slice but the last) the steps run so far. */
export type TorResponse =
  | { seq: number; ok: true; result: TorRun }
  | { seq: number; ok: false; error: string }
  | { seq: number; ok: null; steps: number };

/** Steps between two looks at the messages: some tens of milliseconds of work. */
export const TOR_SLICE_STEPS = 8192;

/**
 * What a worker does with its requests, apart from the worker itself (tests drive it with their own
 * `post` and `pause`). `pause` lets the worker's messages in (a task of its own); a request that
 * arrives meanwhile replaces the running one. Returns the handler for each request.
 */
export function torService(post: (response: TorResponse) => void, pause: () => Promise<void>, sliceSteps = TOR_SLICE_STEPS): (request: TorRequest) => void {
  let next: TorRequest | null = null;
  let running = false;
  const serve = async () => {
    running = true;
    try {
      while (next !== null) {
        const { seq, design, racks, vms, limit } = next;
        next = null;
        try {
          const runner = startTor(design, racks, vms, limit);
          let result: TorRun | undefined;
          while ((result = runner.advance(sliceSteps)) === undefined) {
            post({ seq, ok: null, steps: runner.steps });
            await pause();
            if (next !== null) break;
          }
          if (result !== undefined) post({ seq, ok: true, result });
        } catch (error) {
          post({ seq, ok: false, error: String((error as Error)?.message ?? error) });
        }
      }
    } finally {
      running = false;
    }
  };
  return (request) => {
    next = request;
    if (!running) void serve();
  };
}
