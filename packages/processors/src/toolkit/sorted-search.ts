/**
 * Binary search in ascending numbers, for processors that look up a reading by its time in a
 * sorted series (instead of a Map of every reading, or a linear `find` per lookup).
 */

/** Index of the first element `>= target` in ascending `sorted` (`sorted.length` when none). */
export function lowerBound(sorted: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of `target` in ascending `sorted`, or -1 when absent. */
export function indexOfTime(sorted: ArrayLike<number>, target: number): number {
  const i = lowerBound(sorted, target);
  return i < sorted.length && sorted[i] === target ? i : -1;
}

/** Index of the first element `> target` in ascending `sorted` (`sorted.length` when none). */
export function upperBound(sorted: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
