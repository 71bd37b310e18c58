// Tests for MAC address parsing, byte conversion and classification.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BROADCAST_MAC,
  isBroadcastMac,
  isLinkLocalGroupMac,
  isMulticastMac,
  macFromBytes,
  macToBytes,
  parseMacAddress,
} from '../../src/sim/wire/mac-address.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { byteArbitrary, hex, macArbitrary, toHex } from './helpers.ts';

describe('parseMacAddress', () => {
  it('returns the canonical lowercase colon form', () => {
    expect(parseMacAddress('02:00:00:00:00:0a')).toBe('02:00:00:00:00:0a');
    expect(parseMacAddress('02:00:00:00:00:0A')).toBe('02:00:00:00:00:0a');
  });

  it('accepts dash separators and surrounding spaces', () => {
    expect(parseMacAddress('  AA-BB-CC-DD-EE-FF\n')).toBe('aa:bb:cc:dd:ee:ff');
  });

  it('returns null for text that is not six hex bytes', () => {
    for (const bad of [
      '02:00:00:00:00', // five bytes
      '02:00:00:00:00:0a:0b', // seven bytes
      'gg:00:00:00:00:00', // not hex
      '2:0:0:0:0:a', // bytes must be two digits
      '02:00-00:00:00:0a', // mixed separators
      '0200.0000.000a', // Cisco dotted form is not accepted
      '02000000000a', // no separators
      '',
    ]) {
      expect(parseMacAddress(bad), bad).toBeNull();
    }
  });
});

describe('macToBytes and macFromBytes', () => {
  it('convert a MAC address to its six wire bytes and back', () => {
    expect(toHex(macToBytes('02:00:00:00:00:0a'))).toBe('02 00 00 00 00 0a');
    expect(macFromBytes(hex('02 00 00 00 00 0a'))).toBe('02:00:00:00:00:0a');
  });

  it('read at an offset, as in the source address of a frame', () => {
    const frameStart = hex('ff ff ff ff ff ff 02 00 00 00 00 0a');
    expect(macFromBytes(frameStart, 6)).toBe('02:00:00:00:00:0a');
  });

  it('throw a WireError when fewer than six bytes are left', () => {
    expect(() => macFromBytes(hex('02 00 00 00 00'))).toThrow(WireError);
    expect(() => macFromBytes(hex('02 00 00 00 00 0a'), 1)).toThrow(
      'a MAC address needs 6 bytes, but only 5 are left at offset 1',
    );
  });

  it('reject text that is not a MAC address', () => {
    expect(() => macToBytes('not a mac')).toThrow(WireError);
  });

  it('round-trip every six-byte value', () => {
    fc.assert(
      fc.property(fc.array(byteArbitrary, { minLength: 6, maxLength: 6 }), (values) => {
        const bytes = Uint8Array.from(values);
        expect(macToBytes(macFromBytes(bytes))).toEqual(bytes);
      }),
    );
  });

  it('round-trip through parse whatever the case and separator', () => {
    fc.assert(
      fc.property(macArbitrary, fc.boolean(), fc.constantFrom(':', '-'), (mac, upper, separator) => {
        const text = mac.replace(/:/g, separator);
        expect(parseMacAddress(upper ? text.toUpperCase() : text)).toBe(mac);
        expect(macFromBytes(macToBytes(mac))).toBe(mac);
      }),
    );
  });

  it('read the same bytes from any case or separator, and refuse a near miss (the fast path for canonical text agrees with parsing)', () => {
    fc.assert(
      fc.property(macArbitrary, fc.boolean(), fc.constantFrom(':', '-'), (mac, upper, separator) => {
        const text = mac.replace(/:/g, separator);
        expect(macToBytes(upper ? text.toUpperCase() : text)).toEqual(macToBytes(mac));
      }),
    );
    for (const bad of ['02:00:00:00:00:0g', '02:00:00:00:00;0a', '02:00:00:00:00:0', ' 2:00:00:00:00:0a']) expect(() => macToBytes(bad), bad).toThrow(WireError);
  });
});

describe('MAC address classification', () => {
  it('knows the broadcast address', () => {
    expect(isBroadcastMac(BROADCAST_MAC)).toBe(true);
    expect(isBroadcastMac('ff:ff:ff:ff:ff:fe')).toBe(false);
  });

  it('treats a set group bit (lowest bit of the first byte) as multicast, broadcast included', () => {
    expect(isMulticastMac('01:00:5e:00:00:01')).toBe(true);
    expect(isMulticastMac('33:33:00:00:00:01')).toBe(true);
    expect(isMulticastMac(BROADCAST_MAC)).toBe(true);
    expect(isMulticastMac('02:00:00:00:00:0a')).toBe(false);
    expect(isMulticastMac('00:00:00:00:00:01')).toBe(false);
  });

  it('classify by the first byte whatever the case: multicast is its low bit, broadcast all ones', () => {
    fc.assert(
      fc.property(macArbitrary, fc.boolean(), (mac, upper) => {
        const text = upper ? mac.toUpperCase() : mac;
        expect(isMulticastMac(text)).toBe((macToBytes(mac)[0]! & 1) === 1);
        expect(isBroadcastMac(text)).toBe(mac === BROADCAST_MAC);
      }),
    );
    expect(isBroadcastMac('FF:FF:FF:FF:FF:FF')).toBe(true);
    expect(isMulticastMac('0F:00:00:00:00:00')).toBe(true);
  });

  it('recognises the IEEE reserved group addresses 01:80:c2:00:00:00 to 0f, which bridges never forward', () => {
    expect(isLinkLocalGroupMac('01:80:c2:00:00:00')).toBe(true); // spanning tree
    expect(isLinkLocalGroupMac('01:80:c2:00:00:0e')).toBe(true); // LLDP
    expect(isLinkLocalGroupMac('01:80:c2:00:00:0f')).toBe(true);
    expect(isLinkLocalGroupMac('01:80:c2:00:00:10')).toBe(false);
    expect(isLinkLocalGroupMac('01:80:c2:00:01:00')).toBe(false);
    expect(isLinkLocalGroupMac(BROADCAST_MAC)).toBe(false);
  });
});
