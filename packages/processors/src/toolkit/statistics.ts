/**
 * Summary statistics. All functions take plain numbers and do not round; callers round the
 * inputs (to one decimal, before thresholds) and the outputs (for display).
 *
 * Percentiles use linear interpolation between closest ranks — Hyndman & Fan type 7, the
 * default of R `quantile`, NumPy `percentile` and Excel `PERCENTILE.INC`:
 * h = (n − 1)·p, q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted values.
 * The IQR is Q3 − Q1 with that method.
 */

function requireValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} of an empty list is undefined`);
}

/** Arithmetic mean; throws RangeError on an empty list. */
export function mean(values: readonly number[]): number {
  requireValues(values, "mean");
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1 denominator); null when fewer than two values. */
export function sampleStandardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  return standardDeviationAround(values, mean(values));
}

/** Sample SD of at least two values around their mean `m` (as {@link sampleStandardDeviation} computes it). */
export function standardDeviationAround(values: ArrayLike<number>, m: number): number {
  const n = values.length;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] ?? 0) - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Arithmetic mean of a non-empty array-like, summed in order (as {@link mean}). */
export function meanOf(values: ArrayLike<number>): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] ?? 0;
  return sum / n;
}

/** Smallest and largest of a non-empty list, in one pass (`Math.min(...values)` fails beyond ~120k values). */
export function extremesOf(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Coefficient of variation in percent (100 · sample SD ÷ mean); null when undefined (n < 2 or mean 0). */
export function coefficientOfVariation(values: readonly number[]): number | null {
  const sd = sampleStandardDeviation(values);
  if (sd === null) return null;
  const m = mean(values);
  return m === 0 ? null : (100 * sd) / m;
}

/**
 * The values sorted ascending in a Float64Array, or undefined when one is NaN or −0 (there a
 * typed-array sort, which orders NaN last and −0 before 0, could differ from `(a, b) => a - b`).
 */
export function sortedFloat64(values: ArrayLike<number>): Float64Array | undefined {
  const n = values.length;
  const copy = new Float64Array(n);
  let ascending = true;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? Number.NaN;
    if (Number.isNaN(v) || Object.is(v, -0)) return undefined;
    if (v < previous) ascending = false;
    copy[i] = v;
    previous = v;
  }
  // Series often come in order already (timestamps); the native sort does not notice that itself.
  return ascending ? copy : copy.sort();
}

/**
 * The type-7 p-quantile of `scratch` (no NaN), as {@link quantileOfSortedLike} of its sorted
 * copy gives it, found by selection in O(n) instead of a sort; `scratch` is reordered.
 */
export function quantileBySelection(scratch: Float64Array, p: number): number {
  const n = scratch.length;
  if (n === 0) throw new RangeError("quantile of an empty list is undefined");
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = selectInPlace(scratch, lo);
  // After selecting rank lo, every element right of it is >= it: the next rank is their minimum.
  let b = a;
  if (lo + 1 < n) {
    b = scratch[lo + 1] ?? a;
    for (let i = lo + 2; i < n; i++) if ((scratch[i] ?? b) < b) b = scratch[i] ?? b;
  }
  return a + (h - lo) * (b - a);
}

/** {@link quartiles} by selection (O(n), no sort) of `scratch` (no NaN or −0), which is reordered. */
export function quartilesBySelection(scratch: Float64Array): Quartiles {
  const q1 = quantileBySelection(scratch, 0.25);
  const median = quantileBySelection(scratch, 0.5);
  const q3 = quantileBySelection(scratch, 0.75);
  return { q1, median, q3, iqr: q3 - q1 };
}

/** Puts the element of rank k at index k, smaller ones left and larger or equal ones right (three-way quickselect). */
function selectInPlace(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  // Median-of-three has rare inputs that make it quadratic: past a few dozen rounds, sort the rest.
  for (let round = 0; left < right; round++) {
    if (round > 64) {
      a.subarray(left, right + 1).sort();
      return a[k] ?? 0;
    }
    // Median of three as the pivot; three-way partition so runs of equal values (regular gaps) end it at once.
    const mid = (left + right) >>> 1;
    const x = a[left] ?? 0;
    const y = a[mid] ?? 0;
    const z = a[right] ?? 0;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let lt = left;
    let gt = right;
    let i = left;
    while (i <= gt) {
      const v = a[i] ?? 0;
      if (v < pivot) {
        a[i] = a[lt] ?? 0;
        a[lt++] = v;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt] ?? 0;
        a[gt--] = v;
      } else {
        i++;
      }
    }
    if (k < lt) right = lt - 1;
    else if (k > gt) left = gt + 1;
    else return pivot;
  }
  return a[k] ?? 0;
}

/** Sorted copy, ascending. */
export function sortedAscending(values: readonly number[]): number[] {
  // perf: a typed-array sort is native and needs no comparator calls; it gives the same order
  // as the comparator whenever sortedFloat64 accepts the values.
  const typed = sortedFloat64(values);
  return typed === undefined ? [...values].sort((a, b) => a - b) : Array.from(typed);
}

/** The p-quantile (0 ≤ p ≤ 1) by the type-7 method; throws RangeError on an empty list. */
export function quantile(values: readonly number[], p: number): number {
  requireValues(values, "quantile");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile p must be within 0..1, got ${String(p)}`);
  const sorted = sortedAscending(values);
  return quantileOfSorted(sorted, p);
}

/** As {@link quantile} for values already sorted ascending. */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  return quantileOfSortedLike(sorted, p);
}

/** {@link quantileOfSorted} on any array-like (a sorted Float64Array too). */
export function quantileOfSortedLike(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of an empty list is undefined");
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (h - lo) * (b - a);
}

/** The p-th percentile (0–100), type-7 method. */
export function percentile(values: readonly number[], p: number): number {
  return quantile(values, p / 100);
}

/** Median (type-7 0.5 quantile: the mean of the two middle values for even n). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Quartiles and interquartile range. */
export interface Quartiles {
  /** 25th percentile. */
  readonly q1: number;
  /** Median. */
  readonly median: number;
  /** 75th percentile. */
  readonly q3: number;
  /** Q3 − Q1. */
  readonly iqr: number;
}

/** Q1, median, Q3 and IQR by the type-7 method. */
export function quartiles(values: readonly number[]): Quartiles {
  return quartilesOfSorted(sortedFloat64(values) ?? sortedAscending(values));
}

/** {@link quartiles} of values already sorted ascending. */
export function quartilesOfSorted(sorted: ArrayLike<number>): Quartiles {
  const q1 = quantileOfSortedLike(sorted, 0.25);
  const q3 = quantileOfSortedLike(sorted, 0.75);
  return { q1, median: quantileOfSortedLike(sorted, 0.5), q3, iqr: q3 - q1 };
}

/** Summary of a list of values. */
export interface Summary extends Quartiles {
  /** Number of values. */
  readonly n: number;
  /** Mean. */
  readonly mean: number;
  /** Sample SD; null when n < 2. */
  readonly sd: number | null;
  /** CV %; null when undefined. */
  readonly cvPercent: number | null;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
}

/** Mean, sample SD, CV %, quartiles, min and max; throws RangeError on an empty list. */
export function summarize(values: readonly number[]): Summary {
  requireValues(values, "summary");
  const sorted = sortedFloat64(values) ?? sortedAscending(values);
  // The same figures as mean, sampleStandardDeviation and coefficientOfVariation, each computed once.
  const m = mean(values);
  const sd = values.length < 2 ? null : standardDeviationAround(values, m);
  return {
    n: values.length,
    mean: m,
    sd,
    cvPercent: sd === null || m === 0 ? null : (100 * sd) / m,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    ...quartilesOfSorted(sorted),
  };
}

/** Share of `values` for which `predicate` holds, in percent (0 for an empty list). */
export function percentWhere(values: readonly number[], predicate: (v: number) => boolean): number {
  if (values.length === 0) return 0;
  let hits = 0;
  for (const v of values) if (predicate(v)) hits += 1;
  return (100 * hits) / values.length;
}
