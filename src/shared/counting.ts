/**
 * Counts and shares as a learner reads them: "1 connection", "3 connections"; and a percentage that
 * never reads 100 % (or 0 %) unless it is exact, because "100 % reused" says every request reused.
 */

/** "1 request", "3 requests" (`many` for irregular words: "1 was" / "2 were" is `plural(n, 'was', 'were')` without the count, see `pluralWord`). */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${groupedCount(count)} ${pluralWord(count, one, many)}`;
}

/**
 * A whole count with thousands separators, as `toLocaleString('en-US')` writes it ("12,345"),
 * without loading the locale data: that first call costs about 20 ms, which the capture analysis
 * paid for its one sentence about a capture. Other numbers go to `toLocaleString`.
 */
export function groupedCount(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString('en-US');
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** The word alone: `one` for exactly 1, else `many`. */
export function pluralWord(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** Most decimals a percentage takes to stay off 0 and 100 (99.99 %, then it is shown as 99.99). */
const MAX_DECIMALS = 2;

/**
 * `part` of `whole` in percent, rounded to a whole number, except near the ends: 99.84 % reads
 * 99.8, not 100; 0.2 % reads 0.2, not 0. Exactly 0 and exactly 100 stay 0 and 100. Null when whole is 0.
 */
export function percentOf(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  if (part === whole) return 100;
  if (part === 0) return 0;
  const exact = (part / whole) * 100;
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals += 1) {
    const scale = 10 ** decimals;
    const rounded = Math.round(exact * scale) / scale;
    if (rounded > 0 && rounded < 100) return rounded;
  }
  // closer than 0.005 % to an end: the nearest figure that is not the end itself
  return exact < 50 ? 10 ** -MAX_DECIMALS : 100 - 10 ** -MAX_DECIMALS;
}

/** The middle value, or the mean of the two middle ones for an even count (0.52 and 0.66 → 0.59); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
