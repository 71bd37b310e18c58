// The ToR experiment (tor.ts) off the page's main thread: a module worker that runs both designs
// for the values it is sent and answers with the counts. TorTable.tsx starts it on the reader's
// first change; at 100 racks × 100 VMs a recompute takes seconds, and the page stays responsive
// meanwhile. A newer request while one runs replaces the worker (TorTable terminates it).

import { measureTorBoth } from './tor';

export interface TorRequest {
  seq: number;
  racks: number;
  vms: number;
  limit: number;
}

export type TorResponse = { seq: number; ok: true; result: ReturnType<typeof measureTorBoth> } | { seq: number; ok: false; error: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<TorRequest>) => void) | null; postMessage(message: TorResponse): void };

scope.onmessage = ({ data: { seq, racks, vms, limit } }) => {
  try {
    scope.postMessage({ seq, ok: true, result: measureTorBoth(racks, vms, limit) });
  } catch (error) {
    scope.postMessage({ seq, ok: false, error: String((error as Error)?.message ?? error) });
  }
};
