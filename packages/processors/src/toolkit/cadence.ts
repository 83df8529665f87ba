/**
 * Sampling cadence and capture rate of a regularly sampled series (a CGM every 5 min, an
 * HRV reading every 5 min, heart rate every minute).
 */

import { median, quantileBySelection, sortedFloat64 } from "./statistics.ts";

/**
 * The distinct values of `times`, ascending, or undefined when one is NaN or −0 (the caller
 * then takes the plain Set-and-sort path, whose order for those is the comparator's).
 */
export function distinctAscending(times: ArrayLike<number>): Float64Array | undefined {
  const sorted = sortedFloat64(times);
  if (sorted === undefined) return undefined;
  let k = 0;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i] ?? 0;
    if (k === 0 || t !== sorted[k - 1]) sorted[k++] = t;
  }
  return sorted.subarray(0, k);
}

/** {@link inferCadenceMs} of timestamps already distinct and ascending. */
export function cadenceOfDistinctAscending(distinct: ArrayLike<number>): number | undefined {
  const n = distinct.length;
  if (n < 2) return undefined;
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = (distinct[i] ?? 0) - (distinct[i - 1] ?? 0);
  // The median of positive gaps by selection: the same value median() finds by sorting them.
  return quantileBySelection(gaps, 0.5);
}

/**
 * The series' cadence in ms: the median of the positive intervals between consecutive
 * distinct timestamps. Undefined when there are fewer than two distinct timestamps.
 */
export function inferCadenceMs(times: readonly number[]): number | undefined {
  const distinct = distinctAscending(times);
  if (distinct !== undefined) return cadenceOfDistinctAscending(distinct);
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  if (sorted.length < 2) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i += 1) gaps.push((sorted[i] ?? 0) - (sorted[i - 1] ?? 0));
  return median(gaps);
}

/** Capture over the covered span. */
export interface Capture {
  /** First timestamp, epoch ms. */
  readonly firstMs: number;
  /** Last timestamp, epoch ms. */
  readonly lastMs: number;
  /** Last − first, ms. */
  readonly spanMs: number;
  /** Readings expected at the cadence: ⌊span ÷ cadence + 0.5⌋ + 1 (both ends counted). */
  readonly expected: number;
  /** Distinct timestamps present. */
  readonly actual: number;
  /** 100 · actual ÷ expected, capped at 100. */
  readonly capturePercent: number;
}

/**
 * Readings present ÷ readings expected at `cadenceMs` over the span from the first to the
 * last reading (the span, not a whole day: a sensor worn for 21 h with no gaps captures 100 %).
 */
export function captureRate(times: readonly number[], cadenceMs: number): Capture | undefined {
  if (!(cadenceMs > 0)) return undefined;
  return captureOfDistinctAscending(distinctAscending(times) ?? [...new Set(times)].sort((a, b) => a - b), cadenceMs);
}

/** {@link captureRate} of timestamps already distinct and ascending, for a positive cadence. */
export function captureOfDistinctAscending(distinct: ArrayLike<number>, cadenceMs: number): Capture | undefined {
  const first = distinct[0];
  const last = distinct[distinct.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const spanMs = last - first;
  const expected = Math.floor(spanMs / cadenceMs + 0.5) + 1;
  const capturePercent = Math.min(100, (100 * distinct.length) / expected);
  return { firstMs: first, lastMs: last, spanMs, expected, actual: distinct.length, capturePercent };
}
