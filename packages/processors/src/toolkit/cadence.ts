/**
 * Sampling cadence and capture rate of a regularly sampled series (a CGM every 5 min, an
 * HRV reading every 5 min, heart rate every minute).
 */

import { median } from "./statistics.ts";

/**
 * The series' cadence in ms: the median of the positive intervals between consecutive
 * distinct timestamps. Undefined when there are fewer than two distinct timestamps.
 */
export function inferCadenceMs(times: readonly number[]): number | undefined {
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
  const distinct = [...new Set(times)].sort((a, b) => a - b);
  const first = distinct[0];
  const last = distinct[distinct.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const spanMs = last - first;
  const expected = Math.floor(spanMs / cadenceMs + 0.5) + 1;
  const capturePercent = Math.min(100, (100 * distinct.length) / expected);
  return { firstMs: first, lastMs: last, spanMs, expected, actual: distinct.length, capturePercent };
}
