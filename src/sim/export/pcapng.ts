// A run as a pcapng capture (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html):
// what tcpdump on each link end would have seen. Pure: no DOM, no clock, no file system.
//
// - One Section Header Block (little-endian, version 1.0, length unknown), whose comment says
//   what the capture is and what its clock means.
// - One Interface Description Block per captured port: every link end a frame crossed, in the
//   order frames first crossed them, LINKTYPE_ETHERNET, named "<device>:<port>" (two devices may
//   both have an eth0), with the device's label in its description.
// - One Enhanced Packet Block per frame on a link end: a transmit on the sender's port (direction
//   outbound) and a receive on the receiver's port (inbound), so a frame that crosses one link is
//   in the capture twice, 1 ms apart, as two tcpdumps at the two ends would record it. The bytes
//   are the trace's own (the frame as on the wire, padded where a NIC pads; no FCS). The comment
//   is the step and the sentence of the event ("step 3: br0 receives the frame on p1.").
//
// Time: the trace's virtual time (milliseconds from the scenario's start) counted from the Unix
// epoch, so the first frame of a run that starts at 0 is stamped 1970-01-01 00:00:00.000 UTC and
// Wireshark's "seconds since beginning of capture" reads as the scenario's own clock.
// Resolution microseconds (the pcapng default, if_tsresol 6): virtual time is in whole
// milliseconds, which it represents exactly.

import type { TraceEvent } from '../trace';

/** LINKTYPE_ETHERNET: frames start with the destination MAC; no FCS. */
export const LINKTYPE_ETHERNET = 1;
export const SHB_TYPE = 0x0a0d0d0a;
export const IDB_TYPE = 0x00000001;
export const EPB_TYPE = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Option codes used here. */
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;

/** The events a capture reads: transmits and receives that carry a frame (the rest are skipped). */
export type CapturedEvent = Pick<TraceEvent, 'kind' | 'step' | 'time' | 'device' | 'port' | 'frame' | 'text'>;

export interface PcapngOptions {
  /** Said in the section's comment ("vnet-live: <title>"). */
  title?: string;
  /** A device's label by id, for the interface descriptions (default: the id). */
  label?: (device: string) => string;
  /** Leave the per-packet comments out (smaller file). Default false: every packet says its step and sentence. */
  noComments?: boolean;
}

const encoder = new TextEncoder();

/** A growing little-endian byte buffer. */
class Writer {
  private bytes: Uint8Array<ArrayBuffer> = new Uint8Array(4096);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0, true);
    this.length += 4;
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Zero bytes up to the next multiple of 4. */
  pad(): void {
    const n = (4 - (this.length % 4)) % 4;
    this.reserve(n);
    this.bytes.fill(0, this.length, this.length + n);
    this.length += n;
  }

  setU32(at: number, value: number): void {
    this.view.setUint32(at, value >>> 0, true);
  }

  done(): Uint8Array<ArrayBuffer> {
    return this.bytes.slice(0, this.length);
  }
}

/** Starts a block: its type and a placeholder for its length; returns the block's start. */
function begin(w: Writer, type: number): number {
  const start = w.length;
  w.u32(type);
  w.u32(0);
  return start;
}

/** Ends a block: the trailing length, and the leading one filled in. */
function end(w: Writer, start: number): void {
  const length = w.length - start + 4;
  w.u32(length);
  w.setU32(start + 4, length);
}

function option(w: Writer, code: number, value: Uint8Array): void {
  w.u16(code);
  w.u16(value.length);
  w.raw(value);
  w.pad();
}

/** An option's value is at most 65,535 bytes: a longer text is cut at a character boundary. */
function text(value: string): Uint8Array {
  let bytes = encoder.encode(value);
  if (bytes.length <= 0xffff) return bytes;
  bytes = bytes.subarray(0, 0xffff);
  // Back off to the start of a UTF-8 sequence.
  let cut = bytes.length;
  while (cut > 0 && (bytes[cut - 1]! & 0xc0) === 0x80) cut--;
  if (cut > 0 && bytes[cut - 1]! >= 0xc0) cut--;
  return bytes.subarray(0, cut);
}

function u32le(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

/** The capture point of an event: "<device>:<port>". */
function pointOf(event: CapturedEvent): string {
  return `${event.device}:${event.port ?? ''}`;
}

/** The epoch sentence, shared with the player and the CLI so that they say the same. */
export const PCAPNG_EPOCH_NOTE =
  'Timestamps are the simulation\'s virtual time counted from the Unix epoch: the scenario starts at 1970-01-01 00:00:00 UTC, and every link takes 1 ms.';

/** Is this event a frame on a link end (what the capture holds)? */
export function isCaptured(event: CapturedEvent): boolean {
  return (event.kind === 'transmit' || event.kind === 'receive') && event.frame !== undefined && event.port !== undefined;
}

/** The events, in order, as a pcapng file. */
export function toPcapng(events: Iterable<CapturedEvent>, options: PcapngOptions = {}): Uint8Array<ArrayBuffer> {
  const label = options.label ?? ((id: string) => id);
  const captured: CapturedEvent[] = [];
  const interfaces = new Map<string, number>();
  for (const event of events) {
    if (!isCaptured(event)) continue;
    captured.push(event);
    const point = pointOf(event);
    if (!interfaces.has(point)) interfaces.set(point, interfaces.size);
  }

  const w = new Writer();
  // Section Header Block.
  const shb = begin(w, SHB_TYPE);
  w.u32(BYTE_ORDER_MAGIC);
  w.u16(1);
  w.u16(0);
  w.u32(0xffffffff); // section length: not given (-1)
  w.u32(0xffffffff);
  option(w, OPT_COMMENT, text(`vnet-live${options.title ? `: ${options.title}` : ''}. ${PCAPNG_EPOCH_NOTE}`));
  option(w, SHB_USERAPPL, text('vnet-live simulator'));
  option(w, OPT_ENDOFOPT, new Uint8Array(0));
  end(w, shb);

  // Interface Description Blocks, one per link end, in order of first use.
  for (const point of interfaces.keys()) {
    const idb = begin(w, IDB_TYPE);
    w.u16(LINKTYPE_ETHERNET);
    w.u16(0); // reserved
    w.u32(0); // snaplen: no limit
    const at = point.lastIndexOf(':');
    const device = point.slice(0, at);
    const port = point.slice(at + 1);
    option(w, IF_NAME, text(point));
    option(w, IF_DESCRIPTION, text(`${port} of ${label(device)} (simulated)`));
    option(w, IF_TSRESOL, new Uint8Array([6]));
    option(w, OPT_ENDOFOPT, new Uint8Array(0));
    end(w, idb);
  }

  // Enhanced Packet Blocks.
  for (const event of captured) {
    const frame = event.frame!;
    const micros = Math.round(event.time * 1000);
    const epb = begin(w, EPB_TYPE);
    w.u32(interfaces.get(pointOf(event))!);
    w.u32(Math.floor(micros / 2 ** 32));
    w.u32(micros % 2 ** 32);
    w.u32(frame.length); // captured length
    w.u32(frame.length); // original length
    w.raw(frame);
    w.pad();
    // Direction: bits 0–1, 1 inbound, 2 outbound.
    option(w, EPB_FLAGS, u32le(event.kind === 'receive' ? 1 : 2));
    if (!options.noComments) option(w, OPT_COMMENT, text(`step ${event.step}: ${event.text}`));
    option(w, OPT_ENDOFOPT, new Uint8Array(0));
    end(w, epb);
  }
  return w.done();
}

/** How many frames a capture of these events holds (transmits and receives with a frame). */
export function capturedCount(events: Iterable<CapturedEvent>): number {
  let n = 0;
  for (const event of events) if (isCaptured(event)) n++;
  return n;
}
