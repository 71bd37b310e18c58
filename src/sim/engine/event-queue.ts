// The event queue, ordered by (time, seq), so that events due at the same virtual time run in the
// order they were scheduled — the source of determinism. Virtual time moves in whole steps of a
// few kinds (1 ms per link, seconds for timers), so many items share a time: the queue keeps one
// list per distinct time (a bucket, in push order) and a small binary heap of the distinct times,
// instead of a heap of every item. Push and pop are O(1) but for the rare new time (O(log times)).
// Plain data (arrays, a Map, numbers), so that a snapshot copies it.

import type { QueueItem } from './state';

export interface EventQueue {
  /** Items queued and not yet popped (cancelled timers included, until they are popped). */
  size: number;
  /** The distinct times that have a bucket: a binary min-heap. */
  times: number[];
  /**
   * Items by time, each list in seq order. The engine takes an item's seq when it pushes it, so
   * pushing appends; an item pushed with a smaller seq than its bucket's last (a test building a
   * queue by hand) is inserted in order. The earliest bucket's popped slots are emptied, so that a
   * handled frame is garbage at once, not when its whole bucket is.
   */
  buckets: Map<number, Array<QueueItem | undefined>>;
  /** Items already popped from the front of the earliest bucket (it is dropped once all are). */
  head: number;
}

export function createQueue(): EventQueue {
  return { size: 0, times: [], buckets: new Map(), head: 0 };
}

/**
 * The bucket the last push went to, and of which queue and time: the copies of one flood all go
 * into one bucket, found here without a Map lookup each. Forgotten when a pop removes a bucket.
 */
let lastQueue: EventQueue | undefined = undefined;
let lastTime = 0;
let lastBucket: Array<QueueItem | undefined> | undefined = undefined;
/** The same for the earliest bucket, which every pop and peek reads: of which queue and time. */
let headQueue: EventQueue | undefined = undefined;
let headTime = 0;
let headBucket: Array<QueueItem | undefined> | undefined = undefined;

/** The earliest bucket (the queue is not empty). */
function earliest(queue: EventQueue): Array<QueueItem | undefined> {
  const time = queue.times[0]!;
  if (queue === headQueue && time === headTime) return headBucket!;
  const bucket = queue.buckets.get(time)!;
  headQueue = queue;
  headTime = time;
  headBucket = bucket;
  return bucket;
}

export function queuePush(queue: EventQueue, item: QueueItem): void {
  queue.size += 1;
  const bucket = queue === lastQueue && item.time === lastTime ? lastBucket : queue.buckets.get(item.time);
  if (bucket === undefined) {
    const created = [item];
    queue.buckets.set(item.time, created);
    pushTime(queue.times, item.time);
    lastQueue = queue;
    lastTime = item.time;
    lastBucket = created;
    return;
  }
  lastQueue = queue;
  lastTime = item.time;
  lastBucket = bucket;
  const first = queue.times[0] === item.time ? queue.head : 0;
  if (bucket.length === first || bucket[bucket.length - 1]!.seq < item.seq) {
    bucket.push(item);
    return;
  }
  // Out of seq order: insert after every item with a smaller seq (among those not popped yet).
  let i = bucket.length;
  while (i > first && bucket[i - 1]!.seq > item.seq) i--;
  bucket.splice(i, 0, item);
}

export function queuePop(queue: EventQueue): QueueItem | undefined {
  if (queue.size === 0) return undefined;
  const bucket = earliest(queue);
  const item = bucket[queue.head]!;
  bucket[queue.head] = undefined;
  queue.size -= 1;
  if (++queue.head === bucket.length) {
    queue.buckets.delete(queue.times[0]!);
    // A bucket made later for the same time is another array: neither cache may keep this one.
    if (bucket === lastBucket) lastQueue = lastBucket = undefined;
    if (bucket === headBucket) headQueue = headBucket = undefined;
    popTime(queue.times);
    queue.head = 0;
    // An empty queue (a run at its end) keeps nothing in the caches: they hold no finished run alive.
    if (queue.size === 0) lastQueue = lastBucket = headQueue = headBucket = undefined;
  }
  return item;
}

/** The item the next pop returns, or undefined when the queue is empty. */
export function queuePeek(queue: EventQueue): QueueItem | undefined {
  if (queue.size === 0) return undefined;
  return earliest(queue)[queue.head];
}

/** A copy that pushes and pops on either side leave the other alone (items are shared: they are never changed once queued). */
export function copyQueue(queue: EventQueue): EventQueue {
  const buckets = new Map<number, Array<QueueItem | undefined>>();
  const earliest = queue.times[0];
  // The earliest bucket's popped items are left behind.
  for (const [time, bucket] of queue.buckets) buckets.set(time, time === earliest ? bucket.slice(queue.head) : bucket.slice());
  return { size: queue.size, times: queue.times.slice(), buckets, head: 0 };
}

/** Items in the order they will run (a new array; the queue is untouched). */
export function queueInOrder(queue: EventQueue): QueueItem[] {
  const out: QueueItem[] = [];
  const times = [...queue.buckets.keys()].sort((a, b) => a - b);
  const earliest = queue.times[0];
  for (const time of times) {
    const bucket = queue.buckets.get(time)!;
    for (let i = time === earliest ? queue.head : 0; i < bucket.length; i++) out.push(bucket[i]!);
  }
  return out;
}

/** Whether any queued item (in no particular order) satisfies `test`. */
export function queueSome(queue: EventQueue, test: (item: QueueItem) => boolean): boolean {
  const earliest = queue.times[0];
  for (const [time, bucket] of queue.buckets) {
    for (let i = time === earliest ? queue.head : 0; i < bucket.length; i++) if (test(bucket[i]!)) return true;
  }
  return false;
}

function pushTime(heap: number[], time: number): void {
  let i = heap.length;
  heap.push(time);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent]!;
    if (above <= time) break;
    heap[i] = above;
    i = parent;
  }
  heap[i] = time;
}

function popTime(heap: number[]): void {
  const last = heap.pop()!;
  const length = heap.length;
  if (length === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= length) break;
    const right = left + 1;
    const child = right < length && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= last) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
}
