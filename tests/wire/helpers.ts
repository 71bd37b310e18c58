// Shared test helpers: hand-written hex fixtures to bytes, and fast-check generators built without the code under test.

import fc from 'fast-check';

/**
 * "ff ff 08 06" → bytes. Whitespace and "// ..." comments up to the end of a line are ignored,
 * so fixtures can be laid out one field per line with the field's meaning beside it.
 */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/\/\/[^\n]*/g, '').replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(digits)) throw new Error(`bad hex fixture: ${text}`);
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** Bytes → "ff ff 08 06", so a failing byte comparison shows a readable diff. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** `count` zero bytes as hex, for Ethernet padding in fixtures. */
export function zeros(count: number): string {
  return '00 '.repeat(count);
}

export const byteArbitrary = fc.integer({ min: 0, max: 255 });

export const macArbitrary = fc
  .array(byteArbitrary, { minLength: 6, maxLength: 6 })
  .map((bytes) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(':'));

export const ipv4Arbitrary = fc.array(byteArbitrary, { minLength: 4, maxLength: 4 }).map((bytes) => bytes.join('.'));

export const vlanArbitrary = fc.record({
  pcp: fc.integer({ min: 0, max: 7 }),
  dei: fc.boolean(),
  vid: fc.integer({ min: 0, max: 4095 }),
});
