import { localDate } from "./local-time.ts";

/** A half-open time interval `[startMs, endMs)` in epoch milliseconds. */
export interface TimeInterval {
  /** Start, epoch milliseconds (inclusive). */
  readonly startMs: number;
  /** End, epoch milliseconds (exclusive); equal to `startMs` for an instant. */
  readonly endMs: number;
}

/** The part of an interval that falls on one local calendar day. */
export interface LocalDayPiece extends TimeInterval {
  /** The local date, `YYYY-MM-DD`, in the offset the interval was split with. */
  readonly day: string;
  /** Share of the whole interval's duration inside this day (1 for an instant). */
  readonly fraction: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** True when two intervals share some time; an instant overlaps an interval that contains it. */
export function intervalsOverlap(a: TimeInterval, b: TimeInterval): boolean {
  const aInstant = a.endMs <= a.startMs;
  const bInstant = b.endMs <= b.startMs;
  if (aInstant && bInstant) return a.startMs === b.startMs;
  if (aInstant) return b.startMs <= a.startMs && a.startMs < b.endMs;
  if (bInstant) return a.startMs <= b.startMs && b.startMs < a.endMs;
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

/** Milliseconds two intervals share (0 when they do not overlap). */
export function overlapMs(a: TimeInterval, b: TimeInterval): number {
  return Math.max(0, Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs));
}

/** The union of intervals as sorted, non-overlapping intervals (touching intervals are joined). */
export function mergeIntervals(intervals: readonly TimeInterval[]): TimeInterval[] {
  const sorted = [...intervals].sort((x, y) => x.startMs - y.startMs || x.endMs - y.endMs);
  const merged: { startMs: number; endMs: number }[] = [];
  for (const { startMs, endMs } of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && startMs <= last.endMs) last.endMs = Math.max(last.endMs, endMs);
    else merged.push({ startMs, endMs });
  }
  return merged;
}

/**
 * Groups items whose intervals overlap, directly or through a chain of overlaps, into clusters.
 * Clusters come in time order; items inside a cluster keep the order of `items` sorted by start
 * (ties keep input order), so the result is deterministic.
 */
export function clusterOverlapping<T>(items: readonly T[], intervalOf: (item: T) => TimeInterval): T[][] {
  const indexed = items.map((item, index) => ({ item, index, interval: intervalOf(item) }));
  indexed.sort((x, y) => x.interval.startMs - y.interval.startMs || x.index - y.index);
  const clusters: { items: T[]; span: TimeInterval }[] = [];
  for (const { item, interval } of indexed) {
    const last = clusters.at(-1);
    if (last !== undefined && intervalsOverlap(last.span, interval)) {
      last.items.push(item);
      last.span = { startMs: last.span.startMs, endMs: Math.max(last.span.endMs, interval.endMs) };
    } else {
      clusters.push({ items: [item], span: interval });
    }
  }
  return clusters.map((c) => c.items);
}

// perf: daily totals ask for the bounds of the same few days for every record; parse each date once.
const midnightByDay = new Map<string, number>();
const MIDNIGHT_CACHE_LIMIT = 20_000;

/** UTC midnight of a `YYYY-MM-DD` date, epoch ms; throws RangeError for anything else. */
function utcMidnightOf(day: string): number {
  let midnightUtc = midnightByDay.get(day);
  if (midnightUtc === undefined) {
    midnightUtc = Date.parse(`${day}T00:00:00.000Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(midnightUtc)) throw new RangeError(`not a YYYY-MM-DD date: ${day}`);
    if (midnightByDay.size >= MIDNIGHT_CACHE_LIMIT) midnightByDay.clear();
    midnightByDay.set(day, midnightUtc);
  }
  return midnightUtc;
}

/** Start and end (exclusive) of a local calendar day at a fixed UTC offset, epoch milliseconds. */
export function localDayBounds(day: string, offsetMinutes: number): TimeInterval {
  const startMs = utcMidnightOf(day) - offsetMinutes * MINUTE_MS;
  return { startMs, endMs: startMs + DAY_MS };
}

/**
 * Splits an interval at local midnights (fixed UTC offset in minutes). Each piece carries its
 * share of the interval's duration, so a total can be apportioned by time; an instant, or an
 * interval with end before start, gives one piece on its start day with fraction 1.
 */
export function splitByLocalDay(interval: TimeInterval, offsetMinutes: number): LocalDayPiece[] {
  const { startMs, endMs } = interval;
  if (endMs <= startMs) return [{ day: localDate(startMs, offsetMinutes), startMs, endMs: startMs, fraction: 1 }];
  const pieces: LocalDayPiece[] = [];
  let cursor = startMs;
  while (cursor < endMs) {
    const day = localDate(cursor, offsetMinutes);
    const pieceEnd = Math.min(endMs, localDayBounds(day, offsetMinutes).endMs);
    pieces.push({ day, startMs: cursor, endMs: pieceEnd, fraction: (pieceEnd - cursor) / (endMs - startMs) });
    cursor = pieceEnd;
  }
  return pieces;
}

/**
 * True when a local day's data was last modified before the day ended, so its total can
 * still grow (typically the last day of an export). `dayEndMs` is the exclusive end of the day.
 */
export function isPartialDay(lastModifiedMs: number, dayEndMs: number): boolean {
  return lastModifiedMs < dayEndMs;
}
