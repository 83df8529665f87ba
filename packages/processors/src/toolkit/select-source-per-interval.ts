/**
 * One source per overlapping interval. Health Connect aggregation prefers one data origin
 * where several apps cover the same time; summing them double-counts (two step counts for
 * one day, two heart-rate streams for one night).
 *
 * Items are grouped into clusters of time-overlapping intervals (transitively: A overlaps B,
 * B overlaps C → one cluster). In a cluster covered by a single source everything is kept.
 * In a cluster with several sources one source is kept, chosen by this deterministic rule:
 *
 * 1. an explicit `priority` list (earlier wins), when given and it names one of them;
 * 2. else the largest total `weight` in the cluster (default: covered duration, each item
 *    weighing `max(end − start, 1)` ms, so point samples weigh one each);
 * 3. ties: more items, then the lexicographically smaller package name.
 */

/** How to read an item's interval and source. */
export interface IntervalAccessor<T> {
  /** Start, epoch milliseconds. */
  readonly start: (item: T) => number;
  /** End, epoch milliseconds (equal to start for a point sample). */
  readonly end: (item: T) => number;
  /** Source, normally `metadata.dataOriginPackageName`. */
  readonly source: (item: T) => string;
  /** Weight of an item for choosing a source; default `max(end − start, 1)`. */
  readonly weight?: (item: T) => number;
}

/** Options of {@link selectSourcePerInterval}. */
export interface SelectSourceOptions {
  /** Package names in order of preference; overrides the weight rule when it names a source present. */
  readonly priority?: readonly string[];
  /**
   * Intervals are half-open `[start, end)` and a point sample is `[t, t + 1 ms)`; an item
   * joins a cluster when `start < clusterEnd + toleranceMs` (default 0: touching intervals
   * do not overlap; point samples overlap only at the same instant).
   */
  readonly toleranceMs?: number;
}

/** One cluster where several sources overlapped. */
export interface SourceConflict {
  /** Cluster start, epoch ms. */
  readonly start: number;
  /** Cluster end, epoch ms. */
  readonly end: number;
  /** Sources present, sorted. */
  readonly sources: string[];
  /** The source kept. */
  readonly chosen: string;
  /** Items of other sources dropped. */
  readonly dropped: number;
}

/** Result of {@link selectSourcePerInterval}. */
export interface SourceSelection<T> {
  /** Items kept, sorted by start (stable). */
  readonly kept: T[];
  /** Items dropped because another source was chosen for their interval. */
  readonly dropped: T[];
  /** The clusters where sources overlapped, in time order. */
  readonly conflicts: SourceConflict[];
}

/** Keeps one source per cluster of overlapping intervals (see the module comment for the rule). */
export function selectSourcePerInterval<T>(
  items: readonly T[],
  accessor: IntervalAccessor<T>,
  options: SelectSourceOptions = {},
): SourceSelection<T> {
  const tolerance = options.toleranceMs ?? 0;
  const weight = accessor.weight ?? ((item: T) => Math.max(accessor.end(item) - accessor.start(item), 1));
  // perf: starts and ends in two columns, and the sort order as a list of indices, rather than an
  // object per item. Intervals are half-open [start, end); a point sample counts as [t, t + 1 ms).
  const n = items.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    starts[i] = accessor.start(item);
    ends[i] = Math.max(accessor.end(item), accessor.start(item) + 1);
  }
  const order = sortOrder(starts, ends);

  const kept: T[] = [];
  const dropped: T[] = [];
  const conflicts: SourceConflict[] = [];

  // A cluster is a run of consecutive entries in sort order, order[from] .. order[to - 1].
  const flush = (from: number, to: number, clusterEnd: number): void => {
    if (to - from === 1 || singleSource(items, order, from, to, accessor)) {
      for (let k = from; k < to; k++) kept.push(items[order[k]!]!);
      return;
    }
    const bySource = new Map<string, { weight: number; count: number }>();
    for (let k = from; k < to; k++) {
      const item = items[order[k]!]!;
      const name = accessor.source(item);
      const agg = bySource.get(name) ?? { weight: 0, count: 0 };
      agg.weight += weight(item);
      agg.count += 1;
      bySource.set(name, agg);
    }
    const names = [...bySource.keys()].sort();
    const chosen = chooseSource(names, bySource, options.priority);
    let droppedHere = 0;
    for (let k = from; k < to; k++) {
      const item = items[order[k]!]!;
      if (accessor.source(item) === chosen) kept.push(item);
      else {
        dropped.push(item);
        droppedHere += 1;
      }
    }
    conflicts.push({ start: starts[order[from]!]!, end: clusterEnd, sources: names, chosen, dropped: droppedHere });
  };

  let from = 0;
  let clusterEnd = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const overlaps = k > from && starts[i]! < clusterEnd + tolerance;
    if (!overlaps) {
      if (k > from) flush(from, k, clusterEnd);
      from = k;
      clusterEnd = ends[i]!;
    } else {
      clusterEnd = Math.max(clusterEnd, ends[i]!);
    }
  }
  if (n > from) flush(from, n, clusterEnd);
  return { kept, dropped, conflicts };
}

/** Indices of the items sorted by (start, end, index); input already in that order (the usual case) is not sorted again. */
function sortOrder(starts: Float64Array, ends: Float64Array): Uint32Array | number[] {
  const n = starts.length;
  let ordered = true;
  for (let i = 1; i < n && ordered; i++) {
    const a = starts[i - 1]!;
    const b = starts[i]!;
    ordered = a < b || (a === b && ends[i - 1]! <= ends[i]!);
  }
  if (ordered) {
    const identity = new Uint32Array(n);
    for (let i = 0; i < n; i++) identity[i] = i;
    return identity;
  }
  return Array.from({ length: n }, (_, i) => i).sort((x, y) => starts[x]! - starts[y]! || ends[x]! - ends[y]! || x - y);
}

function singleSource<T>(items: readonly T[], order: ArrayLike<number>, from: number, to: number, accessor: IntervalAccessor<T>): boolean {
  const name = accessor.source(items[order[from]!]!);
  for (let k = from + 1; k < to; k++) if (accessor.source(items[order[k]!]!) !== name) return false;
  return true;
}

function chooseSource(
  names: readonly string[],
  bySource: ReadonlyMap<string, { weight: number; count: number }>,
  priority: readonly string[] | undefined,
): string {
  if (priority !== undefined) {
    for (const preferred of priority) if (bySource.has(preferred)) return preferred;
  }
  let best = names[0] ?? "";
  for (const name of names.slice(1)) {
    const a = bySource.get(name);
    const b = bySource.get(best);
    if (a === undefined || b === undefined) continue;
    if (a.weight > b.weight || (a.weight === b.weight && a.count > b.count)) best = name;
  }
  return best;
}
