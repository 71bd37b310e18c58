// The Internet checksum (RFC 1071) that IPv4 headers and ICMP messages carry to detect corrupted bytes.

/**
 * The ones'-complement sum of the bytes read as big-endian 16-bit words, folded to 16 bits,
 * plus `initial`. Exposed separately so a caller can sum a pseudo-header first and pass it on.
 * An odd trailing byte counts as the high byte of a word whose low byte is zero.
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const evenLength = bytes.length - (bytes.length & 1);
  for (let i = 0; i < evenLength; i += 2) {
    sum += (bytes[i] << 8) | bytes[i + 1];
  }
  if (evenLength !== bytes.length) sum += bytes[evenLength] << 8;
  // Ones'-complement addition wraps carries around to the bottom ("end-around carry").
  // Division instead of >>> because `initial` plus a long buffer can exceed 32 bits.
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The 16-bit value to write into a checksum field (computed with that field set to zero).
 * Run over bytes that already contain a correct checksum, it returns 0: that is how receivers verify.
 */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}
