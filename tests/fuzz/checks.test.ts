// The fuzzer's own machinery, checked: the wording check catches valibot's defaults and lets the
// site's sentences through, the JSON writer writes what JSON.stringify cannot, and regression files
// keep -0, Infinity and huge strings exactly.

import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { Entries, Nested, obj, RawNumber, toJsonText } from './json-text.ts';
import { decodeScenario, encodeScenario } from '../../src/editor/share.ts';
import { checkWords, LIBRARY_WORDING, payloadFromJsonText, validateChecked } from './properties.ts';
import { compactStrings, decode, encode } from './regressions.ts';

const libraryWords = (message: string) => LIBRARY_WORDING.some((pattern) => pattern.test(message.replace(/"(?:[^"\\]|\\.)*"/g, '""')));

describe('the wording check', () => {
  it("catches each of valibot's default messages", () => {
    const results = [
      v.safeParse(v.string(), 5),
      v.safeParse(v.strictObject({}), { a: 1 }),
      v.safeParse(v.pipe(v.string(), v.maxLength(2)), 'abc'),
      v.safeParse(v.literal('x'), 'y'),
      v.safeParse(v.pipe(v.number(), v.integer()), 1.5),
      v.safeParse(v.array(v.number()), 'x'),
      v.safeParse(v.variant('k', [v.object({ k: v.literal('a') })]), { k: 'z' }),
    ];
    const messages = results.flatMap((r) => (r.issues ?? []).map((issue) => issue.message));
    expect(messages.length).toBeGreaterThanOrEqual(7);
    for (const message of messages) expect(libraryWords(message), message).toBe(true);
  });

  it("lets the site's own messages through, even when they quote input that looks like valibot's", () => {
    const broken = structuredClone(scenarios['hub-vs-bridge/bridge']!) as unknown as Record<string, unknown>;
    broken['format'] = 'Invalid type: Received';
    const result = validateChecked(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const error of result.errors) expect(libraryWords(error.message), error.message).toBe(false);
  });

  it("fails a message in the library's words, an empty one and one that quotes the input whole", () => {
    expect(() => checkWords('Invalid type: Expected string but received 5', 'x')).toThrow(/validation library/);
    expect(() => checkWords('', 'x')).toThrow(/empty/);
    expect(() => checkWords(`expected a title, got "${'x'.repeat(2_000)}"`, 'x')).toThrow(/characters long/);
    expect(() => checkWords('expected a title of at most 120 characters, got 2,000,000', 'x')).not.toThrow();
  });
});

describe('regression files', () => {
  it('keep values JSON cannot hold, and prototype keys as keys', () => {
    const input = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    Object.assign(input, { a: -0, b: Infinity, c: -Infinity, d: NaN, e: undefined });
    const back = decode(JSON.parse(JSON.stringify(encode(input))), undefined) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'a', 'b', 'c', 'd', 'e']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.is(back['a'], -0)).toBe(true);
    expect([back['b'], back['c'], back['d'], back['e']]).toEqual([Infinity, -Infinity, NaN, undefined]);
  });

  it('write a 200,000-character run as a placeholder and read it back whole', () => {
    const text = `{"title":"${'x'.repeat(200_000)}","id":"${'é'.repeat(1_500)}"}`;
    const compact = compactStrings(text);
    expect(JSON.stringify(compact).length).toBeLessThan(300);
    expect(decode(compact.input, compact.expand)).toBe(text);
  });
});

describe('the JSON text writer', () => {
  it('writes numbers JSON.stringify cannot, prototype keys as keys, and a key twice', () => {
    const text = toJsonText(obj([['x', new RawNumber('1e999')], ['y', new RawNumber('-0')], ['__proto__', obj([['a', 1]])], ['d', new Entries([['k', 1], ['k', 2]])]]));
    expect(text).toBe('{"x":1e999,"y":-0,"__proto__":{"a":1},"d":{"k":1,"k":2}}');
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(parsed['x']).toBe(Infinity);
    expect(Object.is(parsed['y'], -0)).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toContain('__proto__');
    expect(parsed['d']).toEqual({ k: 2 });
  });

  it('writes nesting thousands deep without recursing', () => {
    const text = toJsonText([new Nested(5_000, true), new Nested(3, false)]);
    expect(text.length).toBe(2 + 5_000 * 2 + 1 + 1 + 3 * 6 + 1);
    expect(text.endsWith(',{"a":{"a":{"a":1}}}]')).toBe(true);
    expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe('hand-made share links', () => {
  it("are in the site's own format, so that hostile JSON inside them reaches the validator", async () => {
    const bridge = scenarios['hub-vs-bridge/bridge']!;
    expect(await payloadFromJsonText(JSON.stringify(bridge))).toBe(await encodeScenario(bridge));
    const decoded = await decodeScenario(await payloadFromJsonText(JSON.stringify({ ...bridge, title: 7 })));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(/title/);
  });
});
