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
  const sorted = items
    // Intervals are half-open [start, end); a point sample counts as [t, t + 1 ms).
    .map((item, index) => ({ item, index, start: accessor.start(item), end: Math.max(accessor.end(item), accessor.start(item) + 1) }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);

  const kept: T[] = [];
  const dropped: T[] = [];
  const conflicts: SourceConflict[] = [];

  let cluster: typeof sorted = [];
  let clusterEnd = Number.NEGATIVE_INFINITY;
  const flush = (): void => {
    if (cluster.length === 0) return;
    const bySource = new Map<string, { weight: number; count: number }>();
    for (const entry of cluster) {
      const name = accessor.source(entry.item);
      const agg = bySource.get(name) ?? { weight: 0, count: 0 };
      agg.weight += weight(entry.item);
      agg.count += 1;
      bySource.set(name, agg);
    }
    if (bySource.size === 1) {
      for (const entry of cluster) kept.push(entry.item);
    } else {
      const names = [...bySource.keys()].sort();
      const chosen = chooseSource(names, bySource, options.priority);
      let droppedHere = 0;
      for (const entry of cluster) {
        if (accessor.source(entry.item) === chosen) kept.push(entry.item);
        else {
          dropped.push(entry.item);
          droppedHere += 1;
        }
      }
      const first = cluster[0];
      conflicts.push({ start: first === undefined ? 0 : first.start, end: clusterEnd, sources: names, chosen, dropped: droppedHere });
    }
    cluster = [];
  };

  for (const entry of sorted) {
    const overlaps = cluster.length > 0 && entry.start < clusterEnd + tolerance;
    if (!overlaps) {
      flush();
      clusterEnd = entry.end;
    } else {
      clusterEnd = Math.max(clusterEnd, entry.end);
    }
    cluster.push(entry);
  }
  flush();
  return { kept, dropped, conflicts };
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
