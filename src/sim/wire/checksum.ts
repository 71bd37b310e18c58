// The Internet checksum (RFC 1071) that IPv4 headers and ICMP messages carry to detect corrupted bytes.

/**
 * The ones'-complement sum of the bytes read as big-endian 16-bit words, folded to 16 bits,
 * plus `initial`. Exposed separately so a caller can sum a pseudo-header first and pass it on.
 * An odd trailing byte counts as the high byte of a word whose low byte is zero.
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0, start = 0, end = bytes.length): number {
  // `start` and `end` sum a part of `bytes` without a subarray (a view per header summed).
  let sum = initial;
  const evenEnd = end - ((end - start) & 1);
  for (let i = start; i < evenEnd; i += 2) {
    sum += (bytes[i]! << 8) | bytes[i + 1]!;
  }
  if (evenEnd !== end) sum += bytes[evenEnd]! << 8;
  // Ones'-complement addition wraps carries around to the bottom ("end-around carry").
  // Division instead of >>> because `initial` plus a long buffer can exceed 32 bits.
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The 16-bit value to write into a checksum field (computed with that field set to zero).
 * Run over bytes that already contain a correct checksum, it returns 0: that is how receivers verify.
 */
export function internetChecksum(bytes: Uint8Array, initial = 0, start = 0, end = bytes.length): number {
  return ~onesComplementSum(bytes, initial, start, end) & 0xffff;
}
