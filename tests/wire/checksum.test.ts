// Tests for the RFC 1071 Internet checksum, with sums worked out by hand.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { internetChecksum, onesComplementSum } from '../../src/sim/wire/checksum.ts';
import { hex } from './helpers.ts';

describe('internetChecksum', () => {
  it('matches the worked example of RFC 1071 section 3', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0; fold the carry: ddf0 + 2 = ddf2; complement: 220d.
    const bytes = hex('00 01 f2 03 f4 f5 f6 f7');
    expect(onesComplementSum(bytes)).toBe(0xddf2);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('gives 0xb861 for the classic IPv4 header example', () => {
    // 4500 + 0073 + 0000 + 4000 + 4011 + (checksum 0000) + c0a8 + 0001 + c0a8 + 00c7 = 2479c;
    // fold: 479c + 2 = 479e; complement: b861.
    expect(internetChecksum(hex('45 00 00 73 00 00 40 00 40 11 00 00 c0 a8 00 01 c0 a8 00 c7'))).toBe(0xb861);
  });

  it('returns 0 over data that already contains its correct checksum, which is how receivers verify', () => {
    expect(internetChecksum(hex('45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7'))).toBe(0);
  });

  it('pads an odd length with a zero byte', () => {
    // 0102 + 0300 = 0402; complement: fbfd.
    expect(internetChecksum(hex('01 02 03'))).toBe(0xfbfd);
    expect(internetChecksum(hex('01 02 03'))).toBe(internetChecksum(hex('01 02 03 00')));
  });

  it('gives 0xffff for no bytes at all', () => {
    expect(internetChecksum(new Uint8Array(0))).toBe(0xffff);
  });

  it('adds an initial partial sum, as for a pseudo-header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 200 }), (first, second) => {
        const head = first.length % 2 === 0 ? first : first.subarray(1);
        const joined = new Uint8Array(head.length + second.length);
        joined.set(head, 0);
        joined.set(second, head.length);
        expect(internetChecksum(second, onesComplementSum(head))).toBe(internetChecksum(joined));
      }),
    );
  });

  it('verifies to 0 once its result is written into the data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 300 }), (data) => {
        const bytes = data.slice();
        bytes[0] = 0;
        bytes[1] = 0;
        const checksum = internetChecksum(bytes);
        bytes[0] = checksum >>> 8;
        bytes[1] = checksum & 0xff;
        expect(internetChecksum(bytes)).toBe(0);
      }),
    );
  });
});
