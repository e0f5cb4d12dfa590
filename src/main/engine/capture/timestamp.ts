/**
 * pcapng timestamps: a 64-bit count of interface units (high and low 32-bit halves), where the
 * unit comes from if_tsresol (draft-ietf-opsawg-pcapng §4.2: MSB 0 → 10^-n s, MSB 1 → 2^-n s,
 * absent → 10^-6 s). A nanosecond count since 1970 (~1.7e18) does not fit a double exactly,
 * so the division is done in 16-bit steps that each stay below 2^53.
 */

const TWO_POW_16 = 0x10000;
const TWO_POW_32 = 0x100000000;

/** Timestamp units per second for an if_tsresol byte. */
export function unitsPerSecondFromResolution(resolution: number): number {
  const exponent = resolution & 0x7f;
  return resolution & 0x80 ? 2 ** exponent : 10 ** exponent;
}

export interface SplitTimestamp {
  seconds: number;
  /** 0..999_999_999 */
  nanoseconds: number;
}

/** Reused result: read it before the next call (this runs once per packet). */
const result: SplitTimestamp = { seconds: 0, nanoseconds: 0 };

/** Splits high·2^32 + low units into whole seconds and nanoseconds; the returned object is reused. */
export function splitTimestamp(high: number, low: number, unitsPerSecond: number): SplitTimestamp {
  if (unitsPerSecond > TWO_POW_32 || !Number.isInteger(unitsPerSecond)) return splitWithBigInt(high, low, unitsPerSecond);
  const highQuotient = Math.floor(high / unitsPerSecond);
  const highRemainder = high - highQuotient * unitsPerSecond;
  // remainder < unitsPerSecond ≤ 2^32, so remainder·2^16 + 16 bits < 2^48: exact
  const upper = highRemainder * TWO_POW_16 + (low >>> 16);
  const upperQuotient = Math.floor(upper / unitsPerSecond);
  const lower = (upper - upperQuotient * unitsPerSecond) * TWO_POW_16 + (low & 0xffff);
  const lowerQuotient = Math.floor(lower / unitsPerSecond);
  const remainder = lower - lowerQuotient * unitsPerSecond;
  result.seconds = highQuotient * TWO_POW_32 + upperQuotient * TWO_POW_16 + lowerQuotient;
  result.nanoseconds = remainderToNanoseconds(remainder, unitsPerSecond);
  return result;
}

function remainderToNanoseconds(remainder: number, unitsPerSecond: number): number {
  if (unitsPerSecond === 1e9) return remainder;
  if (unitsPerSecond <= 1e9 && 1e9 % unitsPerSecond === 0) return remainder * (1e9 / unitsPerSecond);
  return Math.floor((remainder * 1e9) / unitsPerSecond);
}

function splitWithBigInt(high: number, low: number, unitsPerSecond: number): SplitTimestamp {
  const units = (BigInt(high) << 32n) | BigInt(low);
  const perSecond = BigInt(Math.round(unitsPerSecond));
  result.seconds = Number(units / perSecond);
  result.nanoseconds = Number(((units % perSecond) * 1_000_000_000n) / perSecond);
  return result;
}
