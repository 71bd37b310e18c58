// The ToR experiment (tor.ts) off the page's main thread: a module worker that runs one design for
// the values it is sent and answers with the counts. TorTable.tsx starts two on the reader's first
// change, one per design, so that on a machine with two free cores the recompute takes as long as
// the slower design, not both in turn; at 100 racks × 100 VMs that is seconds, and the page stays
// responsive meanwhile. A newer request while one runs replaces the workers (TorTable terminates them).

import { measureTor, type TorDesign, type TorRun } from './tor';

export interface TorRequest {
  seq: number;
  design: TorDesign;
  racks: number;
  vms: number;
  limit: number;
}

export type TorResponse = { seq: number; ok: true; result: TorRun } | { seq: number; ok: false; error: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<TorRequest>) => void) | null; postMessage(message: TorResponse): void };

scope.onmessage = ({ data: { seq, design, racks, vms, limit } }) => {
  try {
    scope.postMessage({ seq, ok: true, result: measureTor(design, racks, vms, limit) });
  } catch (error) {
    scope.postMessage({ seq, ok: false, error: String((error as Error)?.message ?? error) });
  }
};
