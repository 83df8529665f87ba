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
import { resolveZoneOffset, type ResolvedOffset } from "./zone-offset.ts";

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

/** Runs the common preparation (see the module comment). */
export function preparePointReadings<R extends HasMetadataId & { readonly metadata: { readonly dataOriginPackageName: string } }>(
  records: readonly R[],
  options: PointReadingOptions<R>,
): PreparedPointReadings<R> {
  const byId = deduplicateById(records);
  const candidates: PointReading<R>[] = [];
  // perf: a file repeats one or two zone ids; resolve each once (the result depends only on the id here).
  const offsets = new Map<string | null, ResolvedOffset>();
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
    const zoneOffsetId = options.zoneOffsetId(record);
    let offset = offsets.get(zoneOffsetId);
    if (offset === undefined) {
      offset = resolveZoneOffset(zoneOffsetId, options.healthMetadata);
      offsets.set(zoneOffsetId, offset);
    }
    const source = record.metadata.dataOriginPackageName;
    candidates.push({ time, value, offset, source, record });
    const times = timesBySource.get(source);
    if (times === undefined) timesBySource.set(source, [time]);
    else times.push(time);
  }
  const cadenceBySource = new Map<string, number>();
  for (const [source, times] of timesBySource) cadenceBySource.set(source, inferCadenceMs(times) ?? options.defaultCadenceMs);
  const selection = selectSourcePerInterval(candidates, {
    start: (c) => c.time,
    end: (c) => c.time + (cadenceBySource.get(c.source) ?? options.defaultCadenceMs),
    source: (c) => c.source,
  });
  // The kept readings are in time order, so repeated timestamps are neighbours: keep the first of each.
  const readings: PointReading<R>[] = [];
  for (const c of selection.kept) if (readings.length === 0 || readings[readings.length - 1]!.time !== c.time) readings.push(c);
  return {
    readings,
    handling: {
      records_received: records.length,
      duplicate_ids_removed: byId.duplicatesRemoved,
      implausible_values_excluded: implausible,
      overlapping_source_readings_dropped: selection.dropped.length,
      duplicate_timestamps_removed: selection.kept.length - readings.length,
    },
  };
}
