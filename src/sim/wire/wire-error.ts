// WireError: the one error every encoder and decoder in the wire layer throws, so callers can tell bad bytes from bugs.

/** Thrown on malformed input bytes or out-of-range header fields; the message is written for a learner. */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(message: string) {
    super(message);
  }
}

/**
 * Throws a WireError unless `value` is a whole number from 0 to `max`.
 * Encoders call it on every field, because DataView silently wraps out-of-range numbers and
 * a wrapped field would put wrong bytes on the wire without anyone noticing.
 */
export function assertFieldRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new WireError(`${what} must be a whole number from 0 to ${max}, got ${value}`);
  }
}
