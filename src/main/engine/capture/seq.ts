/**
 * 32-bit sequence-number arithmetic (RFC 1982 serial numbers), as Wireshark's
 * GT_SEQ / LT_SEQ / EQ_SEQ: a sequence number is "greater" when it is less than
 * 2^31 ahead of the other, so comparisons survive the wrap at 2^32.
 */

/** `a` is after `b` in sequence space. */
export function seqAfter(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** `a` is before `b` in sequence space. */
export function seqBefore(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** `a` is before or equal to `b` in sequence space. */
export function seqBeforeOrEqual(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** `a + n` wrapped to uint32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
