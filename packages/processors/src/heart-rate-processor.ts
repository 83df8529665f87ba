import type {
  ClinicalInsights,
  ClinicalProcessor,
  HealthDataMessage,
  HeartRateRecord,
  JsonValue,
  ProcessingResult,
  ValidationResult,
} from "@narrative-engine/contracts";
import {
  NarrativeBuilder,
  ageFromMetadata,
  deduplicateById,
  joinLabels,
  localDateTimeLabel,
  localDayBounds,
  localHour,
  localDate,
  mean,
  mergeIntervals,
  round1,
  selectSourcePerInterval,
  sourceLabel,
  summarizeOffsets,
  timedResult,
  localClock,
  type AnalysisOutcome,
  type Episode,
  type ResolvedOffset,
  type TimeInterval,
} from "./toolkit/index.ts";
import { cadenceOfDistinctAscending } from "./toolkit/cadence.ts";
import { findEpisodesInColumns } from "./toolkit/find-episodes.ts";
import { indexOfTime, lowerBound, upperBound } from "./toolkit/sorted-search.ts";
import { extremesOf, standardDeviationAround } from "./toolkit/statistics.ts";
import { zoneOffsetResolver } from "./toolkit/zone-offset.ts";

/** Version of the heart-rate processor, written to training metadata. */
export const HEART_RATE_PROCESSOR_VERSION = "1.0.0";

const MINUTE = 60_000;
/** Samples outside this range (the validation plausibility range) are left out of every figure. */
const PLAUSIBLE_BPM = { min: 30, max: 220 } as const;
/** An overnight recording at least this long, starting 18:00–05:59 local, marks the main sleep period. */
const OVERNIGHT_RECORD_MIN_MS = 3 * 60 * MINUTE;
/** Fallback sleep window when no overnight recording exists: local 00:00 to 06:00. */
const FALLBACK_SLEEP_WINDOW_HOURS = 6;
const RESTING_WINDOW_MS = 30 * MINUTE;
/** A 30-min window is sustained when its samples span at least 25 min with no gap over 5 min. */
const RESTING_WINDOW_MIN_SPAN_MS = 25 * MINUTE;
const RESTING_WINDOW_MAX_GAP_MS = 5 * MINUTE;
const BOUT_MIN_MS = 10 * MINUTE;
const BOUT_MAX_GAP_MS = 2 * MINUTE;
const BOUT_BPM = 100;
/** Heart-rate recovery is read from the sample 60 s (± 15 s) after a bout's last sample. */
const HRR_DELAY_MS = 60_000;
const HRR_TOLERANCE_MS = 15_000;
/** Below this many minutes above 100 bpm at rest, the readings are described as isolated. */
const SUSTAINED_ABOVE_100_MINUTES = 10;
/** Each sample stands for the time to the next one, at most the series cadence and never over 5 min. */
const MAX_SAMPLE_CREDIT_MS = 5 * MINUTE;

const AHA_REFERENCE = "American Heart Association: 60-100 bpm normal resting heart rate";
const BRADY_REFERENCE = "2018 ACC/AHA/HRS bradycardia guideline: below 50 bpm";
const TANAKA_REFERENCE = "Tanaka: 208 - 0.7 x age";
const ZONE_BANDS = [
  { key: "below_50_percent", from: 0, to: 50, label: "below 50%" },
  { key: "50_to_59_percent", from: 50, to: 60, label: "50-59%" },
  { key: "60_to_69_percent", from: 60, to: 70, label: "60-69%" },
  { key: "70_to_79_percent", from: 70, to: 80, label: "70-79%" },
  { key: "80_to_89_percent", from: 80, to: 90, label: "80-89%" },
  { key: "90_percent_and_above", from: 90, to: Number.POSITIVE_INFINITY, label: "90% and above" },
] as const;

/** Where resting heart rate was looked for. */
export type RestingBasis = "overnight_recording" | "overnight_window" | "daytime";

/** Band of a resting heart rate against the AHA and ACC/AHA/HRS references. */
export type RestingBand = "below_50" | "50_to_59" | "60_to_100" | "above_100";

/** Band of a resting heart rate (rounded to 0.1 first): < 50, 50–59.9, 60–100, > 100 bpm. */
export function restingHeartRateBand(bpm: number): RestingBand {
  const v = round1(bpm);
  if (v < 50) return "below_50";
  if (v < 60) return "50_to_59";
  if (v <= 100) return "60_to_100";
  return "above_100";
}

/** Age-predicted maximum heart rate by Tanaka (208 − 0.7 × age), rounded to 0.1. */
export function tanakaMaxHeartRate(age: number): number {
  return round1(208 - 0.7 * age);
}

/** The zone key of a bpm as a share of a maximum heart rate (share rounded to 0.1 first). */
export function heartRateZone(bpm: number, maxHr: number): (typeof ZONE_BANDS)[number]["key"] {
  const pct = round1((100 * bpm) / maxHr);
  for (const band of ZONE_BANDS) if (pct >= band.from && pct < band.to) return band.key;
  return "90_percent_and_above";
}

interface RestingWindow {
  readonly start: number;
  readonly end: number;
  readonly meanBpm: number;
  readonly offset: ResolvedOffset;
}

/** Disjoint intervals in time order as two columns, for "which one holds t" by binary search. */
interface SortedIntervals {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

function sortedIntervals<T>(items: readonly T[], start: (item: T) => number, end: (item: T) => number): SortedIntervals {
  return { starts: Float64Array.from(items, start), ends: Float64Array.from(items, end) };
}

/**
 * Index of the interval holding `t` (`start <= t <= end`), or -1. The intervals must be in time
 * order and disjoint (merged periods, episodes of one series), so only the last one starting at
 * or before `t` can hold it: the same answer as testing every interval, in O(log n).
 */
function holding(intervals: SortedIntervals, t: number): number {
  const k = upperBound(intervals.starts, t) - 1;
  return k >= 0 && t <= intervals.ends[k]! ? k : -1;
}

/**
 * The lowest sustained 30-min windows (samples from `t` to before `t + 30 min` spanning ≥ 25 min
 * with no gap over 5 min, mean bpm rounded to 0.1): the lowest lying within a sleep period and
 * the lowest touching none. The first window wins a tie.
 */
function lowestRestingWindows(
  series: SampleSeries,
  sleep: SortedIntervals,
): { readonly sleep: RestingWindow | undefined; readonly day: RestingWindow | undefined } {
  // Linear in the number of samples: prefix sums for the means, and for each sample the index
  // of the next gap over 5 min, so per-second data stays cheap. No window object is made
  // unless it is the lowest so far.
  const { times, bpms, offsets } = series;
  const n = times.length;
  const time = (k: number): number => (k < n ? times[k]! : Number.POSITIVE_INFINITY);
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k]! + bpms[k]!;
  const nextGap = new Float64Array(n).fill(n);
  for (let k = n - 2; k >= 0; k--) nextGap[k] = time(k + 1) - time(k) > RESTING_WINDOW_MAX_GAP_MS ? k + 1 : nextGap[k + 1]!;
  let sleepLowest: RestingWindow | undefined;
  let dayLowest: RestingWindow | undefined;
  let end = 0; // exclusive index of the first sample at or after start + 30 min
  for (let i = 0; i < n; i++) {
    const start = times[i]!;
    end = Math.max(end, i + 1);
    while (end < n && time(end) < start + RESTING_WINDOW_MS) end++;
    if (nextGap[i]! < end) continue; // a gap over 5 min inside the window
    const windowEnd = time(end - 1);
    if (windowEnd - start < RESTING_WINDOW_MIN_SPAN_MS) continue;
    const meanBpm = round1((prefix[end]! - prefix[i]!) / (end - i));
    const startPeriod = holding(sleep, start);
    const inSleep = startPeriod >= 0 && windowEnd <= sleep.ends[startPeriod]!;
    const inDay = startPeriod < 0 && holding(sleep, windowEnd) < 0;
    if (inSleep && (sleepLowest === undefined || meanBpm < sleepLowest.meanBpm)) sleepLowest = { start, end: windowEnd, meanBpm, offset: offsets[i]! };
    if (inDay && (dayLowest === undefined || meanBpm < dayLowest.meanBpm)) dayLowest = { start, end: windowEnd, meanBpm, offset: offsets[i]! };
  }
  return { sleep: sleepLowest, day: dayLowest };
}

/** A record with its interval: from its start and end times widened to cover every sample. */
interface RecordSpan extends TimeInterval {
  readonly record: HeartRateRecord;
}

function recordSpan(record: HeartRateRecord): RecordSpan {
  let startMs = record.startTimeEpochMillis;
  let endMs = record.endTimeEpochMillis;
  for (const s of record.samples) {
    startMs = Math.min(startMs, s.timeEpochMillis);
    endMs = Math.max(endMs, s.timeEpochMillis);
  }
  return { record, startMs, endMs };
}

const label = (t: number, o: ResolvedOffset): string => localDateTimeLabel(t, o.offsetMinutes);
const clock = (t: number, o: ResolvedOffset): string => localClock(t, o.offsetMinutes);
const isPlausible = (bpm: number): boolean => bpm >= PLAUSIBLE_BPM.min && bpm <= PLAUSIBLE_BPM.max;

/** The usable samples in time order, one per timestamp, as columns (times distinct and ascending). */
interface SampleSeries {
  readonly times: Float64Array;
  readonly bpms: number[];
  /** The offset of the record each sample came from (shared objects, one per zone id). */
  readonly offsets: ResolvedOffset[];
}

function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/**
 * Sorts `keys` ascending in place, stably, carrying `order` along; gives up (returning false,
 * arrays half sorted) once more than `maxMoves` elements have been shifted.
 */
function insertionSort(keys: Float64Array, order: Int32Array, maxMoves: number): boolean {
  let moves = 0;
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    if (!(key < keys[i - 1]!)) continue;
    const index = order[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      order[j + 1] = order[j]!;
      j--;
    }
    keys[j + 1] = key;
    order[j + 1] = index;
    moves += i - j;
    if (moves > maxMoves) return false;
  }
  return true;
}

/**
 * The samples sorted by time (stably) with the first of each timestamp kept. Columns, not an
 * object per sample; records usually arrive in time order, and then nothing is sorted or copied
 * but the times.
 */
function timeOrderedDistinct(times: number[], bpms: number[], offsets: ResolvedOffset[]): { series: SampleSeries; duplicates: number } {
  const n = times.length;
  let strictlyAscending = true;
  for (let i = 1; i < n && strictlyAscending; i++) strictlyAscending = times[i - 1]! < times[i]!;
  if (strictlyAscending) return { series: { times: Float64Array.from(times), bpms, offsets }, duplicates: 0 };

  // Overlapping records leave a few samples out of place: an insertion sort (stable, like
  // Array#sort) fixes that in about linear time. Input far from ordered, or holding NaN times
  // (where the comparator gives no order, so the result depends on the algorithm), goes to Array#sort.
  const inserted = identity(n);
  let order: ArrayLike<number> = inserted;
  const sorted = Float64Array.from(times);
  if (times.some((t) => Number.isNaN(t)) || !insertionSort(sorted, inserted, 16 * n)) {
    order = Array.from(times, (_, i) => i).sort((x, y) => times[x]! - times[y]!);
    for (let k = 0; k < n; k++) sorted[k] = times[order[k]!]!;
  }
  // Only NaN times leave them unordered after the sort; then repeats are found as a set finds them.
  let ordered = true;
  for (let k = 1; k < n && ordered; k++) ordered = sorted[k - 1]! <= sorted[k]!;
  const seen = ordered ? undefined : new Set<number>();
  const keptTimes = new Float64Array(n);
  const keptBpms: number[] = [];
  const keptOffsets: ResolvedOffset[] = [];
  for (let k = 0; k < n; k++) {
    const t = sorted[k]!;
    if (seen === undefined ? keptBpms.length > 0 && keptTimes[keptBpms.length - 1] === t : seen.has(t)) continue;
    seen?.add(t);
    keptTimes[keptBpms.length] = t;
    keptBpms.push(bpms[order[k]!]!);
    keptOffsets.push(offsets[order[k]!]!);
  }
  const series: SampleSeries = { times: keptTimes.slice(0, keptBpms.length), bpms: keptBpms, offsets: keptOffsets };
  return { series, duplicates: n - keptBpms.length };
}

/**
 * Heart-rate analysis of one file's records: de-duplication by record id and by timestamp,
 * one source per overlapping interval, summary statistics, resting heart rate, exercise bouts
 * and recovery, time above 100 bpm at rest, and zones when an age is supplied.
 */
export function analyzeHeartRate(
  records: readonly HeartRateRecord[],
  healthMetadata: Readonly<Record<string, unknown>> | undefined,
): AnalysisOutcome {
  const dedup = deduplicateById(records);
  // perf: each record's interval (a pass over its samples) is computed once, beside the record.
  const spans = dedup.records.map(recordSpan);
  const withSamples = spans.filter((x) => x.record.samples.length > 0);
  // The denser recording wins an overlap: weight each record by its number of samples.
  const selection = selectSourcePerInterval(withSamples, {
    start: (x) => x.startMs,
    end: (x) => x.endMs,
    source: (x) => x.record.metadata.dataOriginPackageName,
    weight: (x) => x.record.samples.length,
  });
  const resolveOffset = zoneOffsetResolver(healthMetadata);
  const offsetOf = (r: HeartRateRecord): ResolvedOffset => resolveOffset(r.startZoneOffsetId);

  let implausible = 0;
  const flatTimes: number[] = [];
  const flatBpms: number[] = [];
  const flatOffsets: ResolvedOffset[] = [];
  // Records holding a plausible sample, in order (found while their samples are gathered).
  const usedRecords: HeartRateRecord[] = [];
  for (const { record: r } of selection.kept) {
    const offset = offsetOf(r);
    const before = flatTimes.length;
    for (const s of r.samples) {
      if (!isPlausible(s.beatsPerMinute)) {
        implausible += 1;
        continue;
      }
      flatTimes.push(s.timeEpochMillis);
      flatBpms.push(s.beatsPerMinute);
      flatOffsets.push(offset);
    }
    if (flatTimes.length > before) usedRecords.push(r);
  }
  const byTime = timeOrderedDistinct(flatTimes, flatBpms, flatOffsets);
  const series = byTime.series;
  const { times, bpms, offsets: sampleOffsets } = series;
  const plausible = (r: HeartRateRecord): boolean => r.samples.some((s) => isPlausible(s.beatsPerMinute));
  // Records processed: after de-duplication, every record holding a plausible sample, including
  // one superseded by another source (it was weighed against it and may mark the sleep period).
  // Records without samples hold none, so those are the used records and the plausible dropped ones.
  const processedCount = usedRecords.length + selection.dropped.filter((x) => plausible(x.record)).length;

  const base: Record<string, JsonValue> = {
    records_received: records.length,
    duplicate_records_removed: dedup.duplicatesRemoved,
    records_after_deduplication: processedCount,
    records_used: usedRecords.length,
    records_superseded_by_other_source: selection.dropped.length,
  };
  const n = times.length;
  const first = n === 0 ? undefined : { time: times[0]!, offset: sampleOffsets[0]! };
  const last = n === 0 ? undefined : { time: times[n - 1]!, offset: sampleOffsets[n - 1]! };
  if (first === undefined || last === undefined) {
    return { kind: "insufficient", reason: "no plausible heart-rate samples to describe", insights: { ...base, sample_count: 0 }, recordsProcessed: 0 };
  }

  const usedOffsets = new Set(sampleOffsets);
  const meanBpmRaw = mean(bpms);
  const meanBpm = round1(meanBpmRaw);
  const sdRaw = n < 2 ? null : standardDeviationAround(bpms, meanBpmRaw);
  const sdBpm = sdRaw === null ? null : round1(sdRaw);
  const { min: minBpm, max: maxBpm } = extremesOf(bpms);
  const offsetSummary = summarizeOffsets(usedOffsets);
  const sourcesUsed = [...new Set(usedRecords.map((r) => sourceLabel(r.metadata.dataOriginPackageName)))].sort();

  // Main sleep period: overnight recordings (≥ 3 h, starting 18:00–05:59 local) from any source,
  // else the local 00:00–06:00 window of each night that has samples.
  const overnight = spans.filter((span) => {
    const hour = localHour(span.startMs, offsetOf(span.record).offsetMinutes);
    return span.endMs - span.startMs >= OVERNIGHT_RECORD_MIN_MS && (hour >= 18 || hour < 6);
  });
  let sleepBasis: Exclude<RestingBasis, "daytime">;
  let sleepPeriods: TimeInterval[];
  let sleepSourceLabels: string[] = [];
  if (overnight.length > 0) {
    sleepBasis = "overnight_recording";
    sleepPeriods = mergeIntervals(overnight.map(({ startMs, endMs }) => ({ startMs, endMs })));
    sleepSourceLabels = [...new Set(overnight.map((x) => sourceLabel(x.record.metadata.dataOriginPackageName)))].sort();
  } else {
    sleepBasis = "overnight_window";
    const nights = new Map<string, TimeInterval>();
    for (let i = 0; i < n; i++) {
      const offsetMinutes = sampleOffsets[i]!.offsetMinutes;
      if (localHour(times[i]!, offsetMinutes) >= FALLBACK_SLEEP_WINDOW_HOURS) continue;
      const day = localDate(times[i]!, offsetMinutes);
      if (!nights.has(day)) {
        const { startMs } = localDayBounds(day, offsetMinutes);
        nights.set(day, { startMs, endMs: startMs + FALLBACK_SLEEP_WINDOW_HOURS * 60 * MINUTE });
      }
    }
    sleepPeriods = mergeIntervals([...nights.values()]);
  }
  // Merged periods are in time order and disjoint (touching ones are joined).
  const sleep = sortedIntervals(sleepPeriods, (p) => p.startMs, (p) => p.endMs);
  const inSleep = (t: number): boolean => holding(sleep, t) >= 0;

  const lowest = lowestRestingWindows(series, sleep);
  const sleepLowest = lowest.sleep;
  const resting = sleepLowest ?? lowest.day;
  const restingBasis: RestingBasis | null = resting === undefined ? null : sleepLowest !== undefined ? sleepBasis : "daytime";

  // Exercise bouts: ≥ 10 min of consecutive samples ≥ 100 bpm with no gap over 2 min.
  const bouts: Episode[] = findEpisodesInColumns(times, bpms, (v) => v >= BOUT_BPM, { minDurationMs: BOUT_MIN_MS, maxGapMs: BOUT_MAX_GAP_MS });
  // Bouts come in time order and never overlap.
  const boutSpans = sortedIntervals(bouts, (b) => b.start, (b) => b.end);
  const inBout = (t: number): boolean => holding(boutSpans, t) >= 0;
  const boutInsights = bouts.map((b) => {
    const o = sampleOffsets[indexOfTime(times, b.start)] ?? first.offset;
    // The bout's samples are those from its start to its end, inclusive.
    const from = lowerBound(times, b.start);
    const to = upperBound(times, b.end);
    const endBpm = to <= from ? b.max : (bpms[to - 1] ?? b.max);
    const target = b.end + HRR_DELAY_MS;
    // The sample nearest the target within ± 15 s (the first of equals). Only samples in that
    // range (and a margin) can qualify, so only those are scanned, in time order.
    let after = -1;
    for (let i = lowerBound(times, target - HRR_TOLERANCE_MS - 1); i < n && times[i]! <= target + HRR_TOLERANCE_MS + 1; i++) {
      const distance = Math.abs(times[i]! - target);
      if (distance <= HRR_TOLERANCE_MS && (after < 0 || distance < Math.abs(times[after]! - target))) after = i;
    }
    return {
      start_local: label(b.start, o),
      end_local: label(b.end, o),
      start_clock: clock(b.start, o),
      end_clock: clock(b.end, o),
      duration_minutes: round1(b.durationMs / MINUTE),
      mean_bpm: round1(mean(bpms.slice(from, to))),
      max_bpm: b.max,
      end_bpm: endBpm,
      recovery_60s_bpm: after < 0 ? null : endBpm - bpms[after]!,
    };
  });

  // Time above 100 bpm at rest: samples > 100 bpm outside exercise bouts, each standing for the
  // time to the next sample, capped at the series cadence (and at 5 min).
  const cadence = Math.min(cadenceOfDistinctAscending(times) ?? MINUTE, MAX_SAMPLE_CREDIT_MS);
  let aboveMs = 0;
  let aboveCount = 0;
  let aboveSleepMs = 0;
  const aboveClocks: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    if (round1(bpms[i]!) <= BOUT_BPM || inBout(t)) continue;
    const credit = i + 1 >= n ? cadence : Math.min(times[i + 1]! - t, cadence);
    aboveMs += credit;
    aboveCount += 1;
    if (inSleep(t)) aboveSleepMs += credit;
    aboveClocks.push(clock(t, sampleOffsets[i]!));
  }
  const aboveMinutes = round1(aboveMs / MINUTE);
  const aboveSleepMinutes = round1(aboveSleepMs / MINUTE);

  const restingBpm = resting === undefined ? null : resting.meanBpm;
  const band = restingBpm === null ? null : restingHeartRateBand(restingBpm);
  const duringSleep = restingBasis !== null && restingBasis !== "daytime";
  const bradycardiaRange = band === "below_50" && !duringSleep;
  const tachycardiaRange = band === "above_100";

  const age = ageFromMetadata(healthMetadata);
  let zones: Record<string, JsonValue>;
  let maxHr: number | null = null;
  const zoneShares = new Map<string, number>();
  if (age === undefined) {
    zones = { computed: false, reason: "no age supplied in health_metadata" };
  } else {
    maxHr = tanakaMaxHeartRate(age);
    const counts = new Map<string, number>();
    for (const bpm of bpms) {
      const key = heartRateZone(bpm, maxHr);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const shares: Record<string, JsonValue>[] = [];
    for (const z of ZONE_BANDS) {
      const share = round1((100 * (counts.get(z.key) ?? 0)) / n);
      shares.push({ zone: z.key, band_of_max_hr: z.label, share_of_samples_percent: share });
      zoneShares.set(z.key, share);
    }
    zones = { computed: true, age_years: age, max_hr_bpm: maxHr, reference: TANAKA_REFERENCE, zones: shares };
  }

  // The offset of the first sample at or after `t` (times ascending: a binary search, not a scan).
  const offsetFrom = (t: number, fallback: ResolvedOffset): ResolvedOffset => (Number.isNaN(t) ? fallback : (sampleOffsets[lowerBound(times, t)] ?? fallback));
  const sleepPeriodInsights = sleepPeriods.map((p) => {
    const o = offsetFrom(p.startMs, first.offset);
    return { start_local: label(p.startMs, o), end_local: label(p.endMs, o), start_clock: clock(p.startMs, o), end_clock: clock(p.endMs, o) };
  });

  // Overlaps between sources, labelled in the offset of the samples around them.
  const conflictInsights = selection.conflicts.map((c) => {
    const o = offsetFrom(c.start, last.offset);
    return {
      start_local: label(c.start, o),
      end_local: label(c.end, o),
      end_clock: clock(c.end, o),
      sources: c.sources.map(sourceLabel),
      chosen: sourceLabel(c.chosen),
      records_dropped: c.dropped,
    };
  });
  const insights: ClinicalInsights = {
    ...base,
    sources_used: sourcesUsed,
    source_conflicts: conflictInsights,
    source_conflict_count: conflictInsights.length,
    sample_count: n,
    duplicate_samples_removed: byTime.duplicates,
    implausible_samples_excluded: implausible,
    first_sample_local: label(first.time, first.offset),
    last_sample_local: label(last.time, last.offset),
    ...offsetSummary,
    mean_bpm: meanBpm,
    sd_bpm: sdBpm,
    min_bpm: minBpm,
    max_bpm: maxBpm,
    main_sleep_period_basis: sleepBasis,
    main_sleep_period_sources: sleepSourceLabels,
    main_sleep_periods: sleepPeriodInsights,
    resting_hr_bpm: restingBpm,
    resting_hr_basis: restingBasis,
    resting_hr_method: "lowest mean of a sustained 30-min window (samples spanning at least 25 min, no gap over 5 min)",
    resting_hr_window:
      resting === undefined
        ? null
        : { start_local: label(resting.start, resting.offset), end_local: label(resting.end, resting.offset), start_clock: clock(resting.start, resting.offset), end_clock: clock(resting.end, resting.offset) },
    resting_hr_band: band,
    resting_hr_reference: AHA_REFERENCE,
    bradycardia_reference: BRADY_REFERENCE,
    bradycardia_range_flagged: bradycardiaRange,
    tachycardia_range_at_rest_flagged: tachycardiaRange,
    exercise_bout_definition: "at least 10 min of consecutive samples at or above 100 bpm, no gap over 2 min",
    exercise_bouts: boutInsights,
    exercise_bout_count: bouts.length,
    samples_above_100_at_rest: aboveCount,
    time_above_100_at_rest_minutes: aboveMinutes,
    time_above_100_during_sleep_minutes: aboveSleepMinutes,
    above_100_at_rest_clock_times: aboveClocks.slice(0, 20),
    recovery_definition: "drop from a bout's last sample to the sample 60 s (+/- 15 s) later",
    overnight_window_local: sleepBasis === "overnight_window" ? "00:00-06:00" : null,
    heart_rate_zones: zones,
  };

  const b = new NarrativeBuilder();
  const offsetsText = offsetSummary.utc_offsets_used.join(", ");
  b.add(
    `This file holds ${b.int(n)} heart-rate ${n === 1 ? "sample" : "samples"} from ${b.int(usedRecords.length)} ${usedRecords.length === 1 ? "record" : "records"} (${joinLabels(sourcesUsed)}), from ${b.literal(label(first.time, first.offset))} to ${b.literal(label(last.time, last.offset))} local time (UTC offset ${b.literal(offsetsText)}).`,
  );
  if (dedup.duplicatesRemoved > 0) b.add(`${b.int(dedup.duplicatesRemoved)} repeated ${dedup.duplicatesRemoved === 1 ? "record was" : "records were"} counted once.`);
  if (conflictInsights.length > 0 && conflictInsights.length <= 3) {
    for (const c of conflictInsights) {
      b.add(
        `${joinLabels(c.sources)} both recorded ${b.literal(c.start_local)} to ${b.literal(c.end_clock)}; only ${c.chosen}, the denser recording, was used there, so no time is counted twice.`,
      );
    }
  } else if (conflictInsights.length > 3) {
    const names = joinLabels([...new Set(conflictInsights.flatMap((c) => c.sources))].sort());
    b.add(
      `${names} overlapped in ${b.int(conflictInsights.length)} periods; in each, only the denser recording was used, so no time is counted twice (the periods are listed in the insights).`,
    );
  }
  b.paragraph();
  b.add(
    sdBpm === null
      ? `The single sample read ${b.num(meanBpm, 1)} bpm.`
      : `Across all samples the mean heart rate was ${b.num(meanBpm, 1)} bpm (standard deviation ${b.num(sdBpm, 1)} bpm), ranging from ${b.int(minBpm)} to ${b.int(maxBpm)} bpm.`,
  );
  b.paragraph();
  if (resting === undefined || restingBpm === null) {
    b.add(
      "Resting heart rate could not be estimated: no 30-minute stretch had samples close enough together (at least 25 minutes covered with no gap over 5 minutes).",
    );
  } else {
    const period =
      restingBasis === "overnight_recording"
        ? `during the main sleep period (${sleepPeriodInsights.map((p) => `${b.literal(p.start_local)} to ${b.literal(p.end_clock)}`).join(", ")}, taken from the overnight recording by ${joinLabels(sleepSourceLabels)})`
        : restingBasis === "overnight_window"
          ? `during the overnight window (${b.literal("00:00")} to ${b.literal("06:00")} local time, used because no overnight recording marks the sleep period)`
          : "during the day, because no sustained stretch of samples fell in a sleep period";
    b.add(
      `Resting heart rate, taken as the lowest 30-minute average ${period}, was ${b.num(restingBpm, 1)} bpm (${b.literal(clock(resting.start, resting.offset))} to ${b.literal(clock(resting.end, resting.offset))}).`,
    );
    if (band === "60_to_100") {
      b.add(`That is within the ${b.literal("60-100")} bpm range the American Heart Association describes as a normal resting heart rate.`);
    } else if (band === "above_100") {
      b.add(
        `That is above the ${b.literal("60-100")} bpm range the American Heart Association describes as a normal resting heart rate; a resting rate over 100 bpm is what the AHA calls tachycardia, and a persistently high resting rate is worth discussing with a clinician.`,
      );
    } else if (duringSleep) {
      b.add(
        `That is below the ${b.literal("60-100")} bpm range the American Heart Association gives for an awake resting heart rate; lower rates are common during sleep, so this is not flagged.`,
      );
    } else if (band === "below_50") {
      b.add(
        `That is below 50 bpm, the range the ${b.literal("2018")} ACC/AHA/HRS guideline defines as sinus bradycardia; it is common in physically trained people, and worth discussing with a clinician if it comes with dizziness, fainting or tiredness.`,
      );
    } else {
      b.add(
        `That is just below the ${b.literal("60-100")} bpm range the American Heart Association describes as a normal resting heart rate, and above the 50 bpm threshold the ${b.literal("2018")} ACC/AHA/HRS guideline uses for sinus bradycardia.`,
      );
    }
  }
  b.paragraph();
  if (bouts.length === 0) {
    b.add("No exercise bouts were found (a bout being at least 10 minutes of consecutive samples at or above 100 bpm with no gap over 2 minutes).");
  } else {
    b.add(`${b.int(bouts.length)} exercise ${bouts.length === 1 ? "bout was" : "bouts were"} found (at least 10 minutes of consecutive samples at or above 100 bpm with no gap over 2 minutes):`);
    const parts = boutInsights.map((bi) => {
      const recovery =
        bi.recovery_60s_bpm === null
          ? "no sample 60 s after the bout to measure recovery"
          : `heart rate fell by ${b.int(bi.recovery_60s_bpm)} bpm in the 60 s after it`;
      return `${b.literal(bi.start_local)} to ${b.literal(bi.end_clock)} (${b.num(bi.duration_minutes, 1)} min, mean ${b.num(bi.mean_bpm, 1)} bpm, peak ${b.int(bi.max_bpm)} bpm; ${recovery})`;
    });
    b.add(`${parts.join("; ")}.`);
  }
  if (aboveCount === 0) {
    b.add("No sample outside exercise was above 100 bpm.");
  } else {
    b.add(
      `Outside exercise, ${b.int(aboveCount)} ${aboveCount === 1 ? "sample was" : "samples were"} above 100 bpm, about ${b.num(aboveMinutes, 1)} min in all${aboveSleepMinutes > 0 ? ` (${b.num(aboveSleepMinutes, 1)} min of it during the ${sleepBasis === "overnight_recording" ? "main sleep period" : "overnight window"})` : ""}.`,
      aboveMinutes < SUSTAINED_ABOVE_100_MINUTES
        ? "Short, isolated readings above 100 bpm are common with movement, stress or caffeine."
        : "The AHA calls a resting rate over 100 bpm tachycardia; rises with movement, stress or caffeine are common, and frequent or persistent episodes are worth discussing with a clinician.",
    );
  }
  b.paragraph();
  if (age === undefined || maxHr === null) {
    b.add("Heart-rate zones are not computed because no age was supplied.");
  } else {
    const nonZero = ZONE_BANDS.filter((z) => (zoneShares.get(z.key) ?? 0) > 0).map((z) => `${b.pct(zoneShares.get(z.key) ?? 0, 1)} ${z.key === "below_50_percent" ? "below 50%" : `at ${z.label}`}`);
    b.add(
      `With the supplied age of ${b.int(age)}, the age-predicted maximum heart rate (Tanaka: ${b.literal("208")} − ${b.literal("0.7")} × age) is ${b.num(maxHr, 1)} bpm. Of all samples, ${nonZero.join(", ")} of that maximum.`,
    );
  }
  const narrative = b.build(insights);
  return { kind: "narrative", narrative, insights, recordsProcessed: processedCount };
}

/** The heart-rate processor (clinical.md §3). */
export class HeartRateProcessor implements ClinicalProcessor<"HeartRateRecord"> {
  readonly recordType = "HeartRateRecord" as const;
  readonly version = HEART_RATE_PROCESSOR_VERSION;

  /** Nothing to prepare; safe to call twice. */
  initialize(): Promise<void> {
    return Promise.resolve();
  }

  /** Analyses one file's heart-rate records. */
  processWithClinicalInsights(records: readonly HeartRateRecord[], message: HealthDataMessage, validation: ValidationResult): Promise<ProcessingResult> {
    return Promise.resolve(timedResult(validation, () => analyzeHeartRate(records, message.healthMetadata)));
  }

  /** Nothing to release; safe to call twice. */
  cleanup(): Promise<void> {
    return Promise.resolve();
  }
}
