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
  // Candidates (finite, plausible), in record order.
  const times: number[] = [];
  const values: number[] = [];
  const offsets: ResolvedOffset[] = [];
  const sources: string[] = [];
  const kept: R[] = [];
  const offsetOf = zoneOffsetResolver(options.healthMetadata);
  // Each source's timestamps, gathered in the same pass for its cadence.
  const timesBySource = new Map<string, number[]>();
  let implausible = 0;
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
    const offset = offsetOf(options.zoneOffsetId(record));
    const source = record.metadata.dataOriginPackageName;
    times.push(time);
    values.push(value);
    offsets.push(offset);
    sources.push(source);
    kept.push(record);
    const own = timesBySource.get(source);
    if (own === undefined) timesBySource.set(source, [time]);
    else own.push(time);
  }
  const cadenceBySource = new Map<string, number>();
  for (const [source, own] of timesBySource) cadenceBySource.set(source, inferCadenceMs(own) ?? options.defaultCadenceMs);
  // Candidates are selected by index; each stands for its source's cadence.
  const selection = selectSourcePerInterval(
    Array.from(times, (_, i) => i),
    {
      start: (i) => times[i]!,
      end: (i) => times[i]! + (cadenceBySource.get(sources[i]!) ?? options.defaultCadenceMs),
      source: (i) => sources[i]!,
    },
  );
  // The kept readings are in time order, so repeated timestamps are neighbours: keep the first of each.
  const order: number[] = [];
  for (const i of selection.kept) if (order.length === 0 || times[order[order.length - 1]!] !== times[i]) order.push(i);
  return {
    times: Float64Array.from(order, (i) => times[i]!),
    values: Float64Array.from(order, (i) => values[i]!),
    offsets: order.map((i) => offsets[i]!),
    sources: order.map((i) => sources[i]!),
    records: order.map((i) => kept[i]!),
    handling: {
      records_received: records.length,
      duplicate_ids_removed: byId.duplicatesRemoved,
      implausible_values_excluded: implausible,
      overlapping_source_readings_dropped: selection.dropped.length,
      duplicate_timestamps_removed: selection.kept.length - order.length,
    },
  };
}
