// A JSON value model that can say what JSON.stringify cannot: numbers written as-is (1e999, -0),
// objects with keys such as "__proto__" or with the same key twice. The hostile and near-valid
// generators build these trees and write them as text, because text is what the site receives
// (files, share links, saved edits); the properties parse it with JSON.parse like the site does.

/** A number literal written verbatim: "1e999" (parses to Infinity), "-0", "1e-400". */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** An object written entry by entry, in order; the same key may appear twice (JSON.parse keeps the last). */
export class Entries {
  constructor(readonly entries: ReadonlyArray<readonly [string, Json]>) {}
}

/** `depth` nested arrays (or objects {"a": …}) around 1: a leaf here, so that nothing in this model recurses that deep. */
export class Nested {
  constructor(readonly depth: number, readonly arrays: boolean) {}
}

/** Objects here are prototype-less (see `obj`), so a key like "__proto__" is an ordinary own key. */
export type Json = null | boolean | number | string | RawNumber | Entries | Nested | Json[] | { [key: string]: Json };

/** A prototype-less object: assigning `__proto__` or `constructor` to it sets an own key, nothing else. */
export function obj(entries: Iterable<readonly [string, Json]> = []): { [key: string]: Json } {
  const out = Object.create(null) as { [key: string]: Json };
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Copies plain data (for example a chapter scenario) into the model, with prototype-less objects. */
export function fromPlain(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : new RawNumber(numberText(value));
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') return obj(Object.entries(value as object).map(([k, v]) => [k, fromPlain(v)] as const));
  throw new TypeError(`not JSON data: ${typeof value}`);
}

function numberText(n: number): string {
  if (Object.is(n, -0)) return '-0';
  if (n === Infinity) return '1e999';
  if (n === -Infinity) return '-1e999';
  if (Number.isNaN(n)) throw new TypeError('NaN has no JSON text');
  return String(n);
}

/** Writes the tree as JSON text. Iterative, so that nesting thousands deep does not overflow this writer's stack. */
export function toJsonText(root: Json): string {
  const out: string[] = [];
  // A stack of pending work: a value to write, or a literal piece of text.
  const stack: Array<{ value: Json } | { text: string }> = [{ value: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const value = item.value;
    if (value === null || typeof value === 'boolean') out.push(String(value));
    else if (typeof value === 'number') out.push(numberText(value));
    else if (typeof value === 'string') out.push(JSON.stringify(value));
    else if (value instanceof RawNumber) out.push(value.text);
    else if (value instanceof Nested) out.push(`${(value.arrays ? '[' : '{"a":').repeat(value.depth)}1${(value.arrays ? ']' : '}').repeat(value.depth)}`);
    else {
      const pairs: ReadonlyArray<readonly [string | null, Json]> = Array.isArray(value)
        ? value.map((v) => [null, v] as const)
        : value instanceof Entries
          ? value.entries
          : Object.keys(value).map((k) => [k, value[k]!] as const);
      const open = Array.isArray(value) ? '[' : '{';
      const close = Array.isArray(value) ? ']' : '}';
      out.push(open);
      stack.push({ text: close });
      for (let i = pairs.length - 1; i >= 0; i--) {
        const [key, v] = pairs[i]!;
        stack.push({ value: v });
        stack.push({ text: `${i > 0 ? ',' : ''}${key === null ? '' : `${JSON.stringify(key)}:`}` });
      }
    }
  }
  return out.join('');
}

/** A step into a tree: an array index or an object key. */
export type Step = number | string;

/** Every path to a node below the root, parents before children, in document order. */
export function pathsOf(root: Json, limit = 5_000): Step[][] {
  const paths: Step[][] = [];
  const walk = (node: Json, path: Step[]): void => {
    if (paths.length >= limit) return;
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, [...path, i]));
    else if (isObj(node)) {
      for (const k of Object.keys(node)) visit(node[k]!, [...path, k]);
    }
  };
  const visit = (node: Json, path: Step[]): void => {
    if (paths.length >= limit) return;
    paths.push(path);
    walk(node, path);
  };
  walk(root, []);
  return paths;
}

/** The node at `path`, or undefined when the path no longer exists. */
export function getAt(root: Json, path: readonly Step[]): Json | undefined {
  let node: Json | undefined = root;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number') node = node[step];
    else if (isObj(node) && typeof step === 'string' && Object.prototype.hasOwnProperty.call(node, step)) node = node[step];
    else return undefined;
  }
  return node;
}

export function isObj(node: Json | undefined): node is { [key: string]: Json } {
  return node !== null && node !== undefined && typeof node === 'object' && !Array.isArray(node) && !(node instanceof RawNumber) && !(node instanceof Entries) && !(node instanceof Nested);
}

/** Deep copy of a tree (prototype-less objects stay prototype-less). */
export function cloneJson(node: Json): Json {
  if (Array.isArray(node)) return node.map(cloneJson);
  if (isObj(node)) return obj(Object.keys(node).map((k) => [k, cloneJson(node[k]!)] as const));
  if (node instanceof Entries) return new Entries(node.entries.map(([k, v]) => [k, cloneJson(v)] as const));
  return node;
}
