// Tests for IPv4 address and prefix parsing, conversion and subnet arithmetic.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  broadcastAddress,
  canonicalIpv4ToNumber,
  formatIpv4Cidr,
  inSameSubnet,
  IPV4_BROADCAST,
  ipv4FromBytes,
  ipv4FromNumber,
  ipv4MatchesBytes,
  ipv4ToBytes,
  ipv4ToNumber,
  netmask,
  networkAddress,
  parseIpv4Address,
  parseIpv4Cidr,
  prefixMask,
  readIpv4Number,
} from '../../src/sim/wire/ipv4-address.ts';
import { WireError } from '../../src/sim/wire/wire-error.ts';
import { hex, ipv4Arbitrary, toHex } from './helpers.ts';

describe('parseIpv4Address', () => {
  it('accepts a dotted quad and trims spaces', () => {
    expect(parseIpv4Address('10.0.0.1')).toBe('10.0.0.1');
    expect(parseIpv4Address(' 192.168.0.199 ')).toBe('192.168.0.199');
    expect(parseIpv4Address('0.0.0.0')).toBe('0.0.0.0');
    expect(parseIpv4Address(IPV4_BROADCAST)).toBe('255.255.255.255');
  });

  it('returns null for leading zeros, out-of-range octets and the wrong number of octets', () => {
    for (const bad of [
      '010.0.0.1',
      '10.0.0.01',
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '+1.2.3.4',
      '1.2.3.-1',
      '1.2.3.4/24',
      'a.b.c.d',
      '',
    ]) {
      expect(parseIpv4Address(bad), bad).toBeNull();
    }
  });
});

describe('IPv4 address conversions', () => {
  it('turn an address into an unsigned 32-bit number and back', () => {
    expect(ipv4ToNumber('10.0.0.1')).toBe(0x0a000001);
    // Would be negative without >>> 0, because the top bit is set.
    expect(ipv4ToNumber('128.0.0.0')).toBe(0x80000000);
    expect(ipv4ToNumber('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4FromNumber(0xc0a800c7)).toBe('192.168.0.199');
    expect(ipv4FromNumber(-1)).toBe('255.255.255.255');
  });

  it('turn an address into four bytes in network order and back', () => {
    expect(toHex(ipv4ToBytes('192.168.0.1'))).toBe('c0 a8 00 01');
    expect(ipv4FromBytes(hex('00 00 c0 a8 00 c7'), 2)).toBe('192.168.0.199');
  });

  it('compare an address with four bytes in place, as comparing it with the text of the bytes would', () => {
    expect(ipv4MatchesBytes('192.168.0.199', hex('00 00 c0 a8 00 c7'), 2)).toBe(true);
    expect(ipv4MatchesBytes('192.168.0.19', hex('c0 a8 00 c7'), 0)).toBe(false);
    expect(ipv4MatchesBytes('0.0.0.0', hex('00 00 00 00'), 0)).toBe(true);
    fc.assert(
      fc.property(ipv4Arbitrary, ipv4Arbitrary, (a, b) => {
        expect(ipv4MatchesBytes(a, ipv4ToBytes(b), 0)).toBe(a === b);
        expect(ipv4MatchesBytes(a, ipv4ToBytes(a), 0)).toBe(true);
      }),
    );
  });

  it('read four bytes in place as the same unsigned number ipv4ToNumber gives, top bit set or not', () => {
    expect(readIpv4Number(hex('00 00 c0 a8 00 c7'), 2)).toBe(ipv4ToNumber('192.168.0.199'));
    expect(readIpv4Number(hex('ff ff ff ff'), 0)).toBe(0xffffffff);
    expect(readIpv4Number(hex('0a 00 00 01'), 0)).toBe(0x0a000001);
  });

  it('throw a WireError on text that is not an address or bytes that run out', () => {
    expect(() => ipv4ToNumber('10.0.0')).toThrow(WireError);
    expect(() => ipv4FromBytes(hex('0a 00 00'))).toThrow(
      'an IPv4 address needs 4 bytes, but only 3 are left at offset 0',
    );
  });

  it('round-trip every 32-bit number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const ip = ipv4FromNumber(n);
        expect(parseIpv4Address(ip)).toBe(ip);
        expect(ipv4ToNumber(ip)).toBe(n);
        expect(ipv4FromBytes(ipv4ToBytes(ip))).toBe(ip);
        expect(readIpv4Number(ipv4ToBytes(ip), 0)).toBe(n);
        expect(canonicalIpv4ToNumber(ip)).toBe(n);
      }),
    );
  });
});

describe('IPv4 prefixes', () => {
  it('parse "address/prefix" and keep the host bits', () => {
    expect(parseIpv4Cidr('10.0.0.1/24')).toEqual({ address: '10.0.0.1', prefixLength: 24 });
    expect(parseIpv4Cidr('0.0.0.0/0')).toEqual({ address: '0.0.0.0', prefixLength: 0 });
    expect(parseIpv4Cidr('10.0.0.1/32')).toEqual({ address: '10.0.0.1', prefixLength: 32 });
  });

  it('return null for a prefix outside 0..32 or a malformed text', () => {
    for (const bad of [
      '10.0.0.1/33',
      '10.0.0.1/-1',
      '10.0.0.1/024',
      '10.0.0.1/',
      '10.0.0.1',
      '10.0.0.1/24/8',
      '10.0.0.256/24',
      '/24',
    ]) {
      expect(parseIpv4Cidr(bad), bad).toBeNull();
    }
  });

  it('format back to the text they came from', () => {
    fc.assert(
      fc.property(ipv4Arbitrary, fc.integer({ min: 0, max: 32 }), (address, prefixLength) => {
        const text = formatIpv4Cidr({ address, prefixLength });
        expect(parseIpv4Cidr(text)).toEqual({ address, prefixLength });
      }),
    );
  });

  it('give the netmask for a prefix length', () => {
    expect(netmask(24)).toBe('255.255.255.0');
    expect(netmask(25)).toBe('255.255.255.128');
    expect(netmask(0)).toBe('0.0.0.0');
    expect(netmask(32)).toBe('255.255.255.255');
    expect(prefixMask(8)).toBe(0xff000000);
    expect(() => prefixMask(33)).toThrow(WireError);
  });

  it('give the network and broadcast addresses of a subnet', () => {
    expect(networkAddress('10.0.0.77', 24)).toBe('10.0.0.0');
    expect(networkAddress('192.168.1.200', 25)).toBe('192.168.1.128');
    expect(networkAddress('192.168.1.200', 0)).toBe('0.0.0.0');
    expect(networkAddress('192.168.1.200', 32)).toBe('192.168.1.200');
    expect(broadcastAddress('10.0.0.77', 24)).toBe('10.0.0.255');
    expect(broadcastAddress('10.0.0.77', 0)).toBe('255.255.255.255');
  });

  it('tell whether two addresses share a subnet', () => {
    expect(inSameSubnet('10.0.0.1', '10.0.0.2', 24)).toBe(true);
    expect(inSameSubnet('10.0.0.1', '10.0.1.2', 24)).toBe(false);
    expect(inSameSubnet('10.0.0.1', '10.0.1.2', 16)).toBe(true);
    expect(inSameSubnet('10.0.0.1', '200.1.1.1', 0)).toBe(true);
    expect(inSameSubnet('192.168.1.100', '192.168.1.130', 25)).toBe(false);
  });
});
