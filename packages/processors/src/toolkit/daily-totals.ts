import { clusterOverlapping, isPartialDay, localDayBounds, splitByLocalDay, type TimeInterval } from "./time-intervals.ts";

/** One interval total (a steps count, an energy amount) to be summed per local day. */
export interface IntervalAmount extends TimeInterval {
  /** The amount over the whole interval. */
  readonly value: number;
  /** Package of the app that wrote it. */
  readonly source: string;
  /** When the record was last modified, epoch ms. */
  readonly lastModifiedMs: number;
  /** UTC offset of the record, minutes (resolved by the caller from its zone id). */
  readonly offsetMinutes: number;
}

/** One source's total for one local day. */
export interface SourceDayTotal {
  /** Package of the app. */
  readonly source: string;
  /** Sum of the source's amounts apportioned to the day (unrounded). */
  readonly total: number;
  /** How many records contributed. */
  readonly records: number;
  /** Latest modification among them, epoch ms. */
  readonly lastModifiedMs: number;
}

/** A local day's total, taken from one source. */
export interface DailyTotal {
  /** Local date, `YYYY-MM-DD`. */
  readonly day: string;
  /** UTC offset the day was bounded with, minutes (the chosen source's first record). */
  readonly offsetMinutes: number;
  /** Start and exclusive end of the local day, epoch ms. */
  readonly bounds: TimeInterval;
  /** The source whose total is used. */
  readonly chosen: SourceDayTotal;
  /** Every source that reported the day, largest total first (ties by package name). */
  readonly sources: readonly SourceDayTotal[];
  /** Latest modification of any record of the day, epoch ms. */
  readonly lastModifiedMs: number;
  /** True when that modification came before the day ended, so the total can still grow. */
  readonly partial: boolean;
}

interface Piece {
  readonly source: string;
  readonly day: string;
  readonly interval: TimeInterval;
  readonly value: number;
  readonly lastModifiedMs: number;
  readonly offsetMinutes: number;
}

/**
 * Totals per local day with one source per day: each amount is split at the local midnights of
 * its own offset and apportioned by time; within a source, amounts whose intervals overlap are
 * not summed (the largest of an overlapping cluster stands); when several sources report a day,
 * the one with the largest total is used and the others are kept for reporting, never added.
 * Health Connect's own aggregation likewise takes one origin per interval. Days come in date order.
 */
export function dailyTotalsOneSource(amounts: readonly IntervalAmount[]): DailyTotal[] {
  const pieces: Piece[] = [];
  for (const a of amounts) {
    for (const p of splitByLocalDay(a, a.offsetMinutes)) {
      pieces.push({
        source: a.source,
        day: p.day,
        interval: { startMs: p.startMs, endMs: p.endMs },
        value: a.value * p.fraction,
        lastModifiedMs: a.lastModifiedMs,
        offsetMinutes: a.offsetMinutes,
      });
    }
  }
  const byDay = new Map<string, Piece[]>();
  for (const p of pieces) {
    const list = byDay.get(p.day);
    if (list === undefined) byDay.set(p.day, [p]);
    else list.push(p);
  }
  const days: DailyTotal[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const dayPieces = byDay.get(day) ?? [];
    const sources = [...new Set(dayPieces.map((p) => p.source))].sort().map((source) => sourceTotal(source, dayPieces));
    sources.sort((x, y) => y.total - x.total || (x.source < y.source ? -1 : x.source > y.source ? 1 : 0));
    const chosen = sources[0];
    if (chosen === undefined) continue;
    const offsetMinutes = dayPieces.find((p) => p.source === chosen.source)?.offsetMinutes ?? 0;
    const bounds = localDayBounds(day, offsetMinutes);
    const lastModifiedMs = Math.max(...dayPieces.map((p) => p.lastModifiedMs));
    days.push({ day, offsetMinutes, bounds, chosen, sources, lastModifiedMs, partial: isPartialDay(lastModifiedMs, bounds.endMs) });
  }
  return days;
}

function sourceTotal(source: string, dayPieces: readonly Piece[]): SourceDayTotal {
  const own = dayPieces.filter((p) => p.source === source);
  let total = 0;
  let records = 0;
  for (const cluster of clusterOverlapping(own, (p) => p.interval)) {
    // Overlapping amounts from one source are alternatives, not additions: keep the largest.
    let best = cluster[0];
    for (const p of cluster) if (best === undefined || p.value > best.value) best = p;
    if (best === undefined) continue;
    total += best.value;
    records += 1;
  }
  return { source, total, records, lastModifiedMs: Math.max(...own.map((p) => p.lastModifiedMs)) };
}
