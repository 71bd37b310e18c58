// The ToR experiment (tor.ts) off the page's main thread: a module worker that runs one design for
// the values it is sent and answers with the counts. TorTable.tsx starts two on the reader's first
// change, one per design, so that where the cores are free the recompute takes as long as the
// slower design, not both in turn. Each worker keeps more than one core busy (V8's collector and
// compiler threads beside it: VXLAN alone took 2.0 s of the renderer's CPU in 1.26 s), so on a
// machine with two cores it takes about as long as both: at 100 racks × 100 VMs with the limit the
// page starts with, 1.8 to 2.2 s on a fresh page (each design 1.0 to 1.2 s alone), of which V8's
// compiling of the core takes about 1.45 s of CPU (npm run bench:tor -- --breakdown), and 0.9 to
// 1.0 s once the workers have run it. The page stays responsive meanwhile.
//
// A worker lives as long as the page and runs every request a slice of steps at a time, saying how
// many steps it has run (the page shows them while the reader waits) and reading its messages
// between slices: a newer request (the reader typed another digit) replaces the one
// running, which is dropped unanswered. It used to be terminated and a new worker started instead,
// and every recompute then ran in a fresh JavaScript engine: at 100 × 100 about twice as slow as in
// one that has run the experiment before (its code compiled for it, its heap grown to it).

import { torService, type TorRequest, type TorResponse } from './tor-service';

export type { TorRequest, TorResponse } from './tor-service';

/** A task of its own: a message to itself, queued behind the messages already there. */
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
function pauseForMessages(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<TorRequest>) => void) | null; postMessage(message: TorResponse): void };
const handle = torService((response) => scope.postMessage(response), pauseForMessages);
scope.onmessage = ({ data }) => handle(data);
