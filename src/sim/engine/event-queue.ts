// The event queue: a binary min-heap over plain arrays, ordered by (time, seq), so that events
// due at the same virtual time run in the order they were scheduled — the source of determinism.

import type { QueueItem } from './state';

function before(x: QueueItem, y: QueueItem): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}

export function queuePush(heap: QueueItem[], item: QueueItem): void {
  // Sift up by moving parents down into the hole, and place the item once.
  let i = heap.length;
  heap.push(item);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent]!;
    if (!before(item, above)) break;
    heap[i] = above;
    i = parent;
  }
  heap[i] = item;
}

export function queuePop(heap: QueueItem[]): QueueItem | undefined {
  if (heap.length === 0) return undefined;
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(heap, 0);
  }
  return top;
}

function siftDown(heap: QueueItem[], start: number): void {
  const length = heap.length;
  const item = heap[start]!;
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= length) break;
    const right = left + 1;
    const child = right < length && before(heap[right]!, heap[left]!) ? right : left;
    const below = heap[child]!;
    if (!before(below, item)) break;
    heap[i] = below;
    i = child;
  }
  heap[i] = item;
}

/** Items in the order they will run (a sorted copy; the heap is untouched). */
export function queueInOrder(heap: readonly QueueItem[]): QueueItem[] {
  return [...heap].sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
}
