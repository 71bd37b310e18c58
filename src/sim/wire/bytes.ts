// Where the encoders get the arrays they fill. V8 keeps a Uint8Array of up to 64 bytes inside the
// object itself, but a longer one gets a backing store of its own outside the JS heap (allocated,
// zeroed, tracked as external memory and freed by the GC: about 1 µs in Node 24, against 40 ns),
// and asking any array made small for its `.buffer` (a DataView, a subarray) moves it out the same
// way. A VXLAN frame is wrapped three times and copied by each router: thousands of frames paid
// that many times each. So an encoder takes its bytes from a shared block instead: a view into a
// 16 KB ArrayBuffer, which costs about what a small array does, and whose subarrays and views cost
// nothing more. A block lives as long as any frame in it (at most 16 KB a frame kept); frames are
// never written once made, so sharing a block changes no byte of any frame. Deterministic: where a
// frame's bytes are kept never shows in its contents.

/** The block size; a frame longer than a quarter of it gets an array of its own. */
const BLOCK_BYTES = 16 * 1024;
let block = new ArrayBuffer(BLOCK_BYTES);
let used = 0;

/** `length` zero bytes for an encoder to fill: a view into the current block (a new block when it is full). */
export function newBytes(length: number): Uint8Array {
  if (length > BLOCK_BYTES >> 2) return new Uint8Array(length);
  if (used + length > BLOCK_BYTES) {
    block = new ArrayBuffer(BLOCK_BYTES);
    used = 0;
  }
  const bytes = new Uint8Array(block, used, length);
  // 8-byte aligned, as an ArrayBuffer of its own would be.
  used += (length + 7) & ~7;
  return bytes;
}

/** A copy of `bytes` in bytes from newBytes (what `bytes.slice()` gives, without a backing store of its own). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = newBytes(bytes.length);
  copy.set(bytes);
  return copy;
}

/** Big-endian 16-bit write, in place. */
export function writeUint16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
}

/** Big-endian 32-bit write, in place. */
export function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

/** Big-endian 16-bit read. */
export function readUint16At(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** Big-endian unsigned 32-bit read. */
export function readUint32At(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}
