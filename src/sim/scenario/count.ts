// Counts written for a reader, in a module of their own: the page's drawing and lists need them at
// load, and importing them from limits.ts brought every limit along.

/** A count written for a reader: 1234 → "1,234". The same in every locale, so the CLI and the page agree. */
export function formatCount(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count and its noun, singular for exactly one: "1 byte", "2 bytes" (the number as it is, no separators). */
export function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
