/**
 * The common front half of processors whose records are single timestamped values
 * (blood glucose, HRV RMSSD): de-duplicate by `metadata.id`, drop non-finite and
 * implausible values, round every value to one decimal, resolve each record's UTC offset,
 * keep one source per overlapping interval (each reading standing for its source's cadence)
 * and drop repeated timestamps. The counts of what was dropped go to `clinicalInsights`.
 */

import type { JsonObject } from "@narrative-engine/contracts";
import { inferCadenceMs } from "./cadence.ts";
import { deduplicateById, type HasMetadataId } from "./deduplicate-by-id.ts";
import { round1 } from "./rounding.ts";
import { selectSourcePerInterval } from "./select-source-per-interval.ts";
import { zoneOffsetResolver, type ResolvedOffset } from "./zone-offset.ts";

/** A usable reading. */
export interface PointReading<R> {
  /** Epoch milliseconds. */
  readonly time: number;
  /** The value rounded to 0.1 — every figure and threshold uses this. */
  readonly value: number;
  /** Offset used for local time. */
  readonly offset: ResolvedOffset;
  /** `metadata.dataOriginPackageName`. */
  readonly source: string;
  /** The record it came from. */
  readonly record: R;
}

/** How to read a record, and what is plausible. */
export interface PointReadingOptions<R> {
  /** The reading's instant, epoch ms. */
  readonly time: (record: R) => number;
  /** The raw value. */
  readonly value: (record: R) => number;
  /** The record's `zoneOffsetId`. */
  readonly zoneOffsetId: (record: R) => string | null;
  /** Inclusive plausible range of the rounded value; readings outside are excluded and counted. */
  readonly plausible: { readonly min: number; readonly max: number };
  /** `message.healthMetadata`, for the user-offset override. */
  readonly healthMetadata: Readonly<Record<string, unknown>> | undefined;
  /** Interval a reading stands for when its source's cadence cannot be inferred. */
  readonly defaultCadenceMs: number;
}

/** Result of {@link preparePointReadings}. */
export interface PreparedPointReadings<R> {
  /** Usable readings sorted by time (ties keep input order). */
  readonly readings: PointReading<R>[];
  /** Counts for insights: records_received, duplicate_ids_removed, implausible_values_excluded, overlapping_source_readings_dropped, duplicate_timestamps_removed. */
  readonly handling: JsonObject;
}

/** The usable readings as columns (index i is one reading), sorted by time with no repeated timestamp. */
export interface PointColumns<R> {
  /** Epoch milliseconds, strictly ascending. */
  readonly times: Float64Array;
  /** Values rounded to 0.1. */
  readonly values: Float64Array;
  /** Offsets used for local time (shared objects, one per zone id). */
  readonly offsets: ResolvedOffset[];
  /** `metadata.dataOriginPackageName`. */
  readonly sources: string[];
  /** The records they came from. */
  readonly records: R[];
  /** As {@link PreparedPointReadings.handling}. */
  readonly handling: JsonObject;
}

/** Runs the common preparation (see the module comment). */
export function preparePointReadings<R extends HasMetadataId & { readonly metadata: { readonly dataOriginPackageName: string } }>(
  records: readonly R[],
  options: PointReadingOptions<R>,
): PreparedPointReadings<R> {
  const c = preparePointColumns(records, options);
  const readings: PointReading<R>[] = [];
  for (let i = 0; i < c.times.length; i++) {
    readings.push({ time: c.times[i]!, value: c.values[i]!, offset: c.offsets[i]!, source: c.sources[i]!, record: c.records[i]! });
  }
  return { readings, handling: c.handling };
}

/**
 * {@link preparePointReadings} as columns: the same readings in the same order, without an
 * object per reading (processors reading every value many times use this; for 100k-reading
 * files the objects' allocation and survival through collections cost more than the figures).
 */
export function preparePointColumns<R extends HasMetadataId & { readonly metadata: { readonly dataOriginPackageName: string } }>(
  records: readonly R[],
  options: PointReadingOptions<R>,
): PointColumns<R> {
  const byId = deduplicateById(records);
  // Candidates (finite, plausible), in record order. perf: columns sized once, since every
  // array of a 500k-reading file regrown or copied is another collection of a large heap.
  const capacity = byId.records.length;
  const times = new Float64Array(capacity);
  const values = new Float64Array(capacity);
  const offsets = new Array<ResolvedOffset>(capacity);
  const sources = new Array<string>(capacity);
  const kept = new Array<R>(capacity);
  const offsetOf = zoneOffsetResolver(options.healthMetadata);
  let implausible = 0;
  let m = 0;
  for (const record of byId.records) {
    const raw = options.value(record);
    const time = options.time(record);
    if (!Number.isFinite(raw) || !Number.isFinite(time)) {
      implausible += 1;
      continue;
    }
    const value = round1(raw);
    if (value < options.plausible.min || value > options.plausible.max) {
      implausible += 1;
      continue;
    }
    times[m] = time;
    values[m] = value;
    offsets[m] = offsetOf(options.zoneOffsetId(record));
    sources[m] = record.metadata.dataOriginPackageName;
    kept[m] = record;
    m += 1;
  }
  offsets.length = m;
  sources.length = m;
  kept.length = m;
  const candidateTimes = times.subarray(0, m);
  const selection = selectOnePerInterval(candidateTimes, sources, options.defaultCadenceMs);
  const handling = (duplicateTimestamps: number): JsonObject => ({
    records_received: records.length,
    duplicate_ids_removed: byId.duplicatesRemoved,
    implausible_values_excluded: implausible,
    overlapping_source_readings_dropped: selection === undefined ? 0 : selection.dropped,
    duplicate_timestamps_removed: duplicateTimestamps,
  });
  if (selection === undefined && isStrictlyAscending(candidateTimes)) {
    // Nothing dropped, nothing moved, no repeated timestamp (the usual file): the candidate columns are the result.
    return { times: candidateTimes, values: values.subarray(0, m), offsets, sources, records: kept, handling: handling(0) };
  }
  // The selected readings are in time order, so repeated timestamps are neighbours: keep the first of each.
  const selected = selection?.kept ?? Array.from(candidateTimes, (_, i) => i);
  const order: number[] = [];
  let previous = Number.NaN;
  for (const i of selected) {
    const t = candidateTimes[i]!;
    if (order.length > 0 && t === previous) continue;
    order.push(i);
    previous = t;
  }
  const pickedTimes = new Float64Array(order.length);
  const pickedValues = new Float64Array(order.length);
  order.forEach((i, k) => {
    pickedTimes[k] = candidateTimes[i]!;
    pickedValues[k] = values[i]!;
  });
  return {
    times: pickedTimes,
    values: pickedValues,
    offsets: order.map((i) => offsets[i]!),
    sources: order.map((i) => sources[i]!),
    records: order.map((i) => kept[i]!),
    handling: handling(selected.length - order.length),
  };
}

function isStrictlyAscending(times: Float64Array): boolean {
  for (let i = 1; i < times.length; i++) if (!(times[i - 1]! < times[i]!)) return false;
  return true;
}

/**
 * One source per overlapping interval (selectSourcePerInterval), each reading standing for its
 * source's cadence: the kept candidate indices in time order and how many were dropped, or
 * undefined when every candidate is kept in input order.
 */
function selectOnePerInterval(times: Float64Array, sources: readonly string[], defaultCadenceMs: number): { readonly kept: number[]; readonly dropped: number } | undefined {
  const n = times.length;
  let singleSource = true;
  for (let i = 1; i < n && singleSource; i++) singleSource = sources[i] === sources[0];
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = times[i - 1]! <= times[i]!;
  // perf: a single source in time order (the usual CGM file) keeps everything in input order:
  // every cluster holds one source, and every reading covers the same cadence, so the sort by
  // (start, end, index) leaves the input as it is. The general rule is applied otherwise.
  if (singleSource && ascending) return undefined;
  const timesBySource = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const own = timesBySource.get(sources[i]!);
    if (own === undefined) timesBySource.set(sources[i]!, [times[i]!]);
    else own.push(times[i]!);
  }
  const cadenceBySource = new Map<string, number>();
  for (const [source, own] of timesBySource) cadenceBySource.set(source, inferCadenceMs(own) ?? defaultCadenceMs);
  const selection = selectSourcePerInterval(
    Array.from(times, (_, i) => i),
    {
      start: (i) => times[i]!,
      end: (i) => times[i]! + (cadenceBySource.get(sources[i]!) ?? defaultCadenceMs),
      source: (i) => sources[i]!,
    },
  );
  return { kept: selection.kept, dropped: selection.dropped.length };
}
