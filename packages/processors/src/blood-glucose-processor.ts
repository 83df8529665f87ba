import type {
  BloodGlucoseRecord,
  ClinicalInsights,
  ClinicalProcessor,
  HealthDataMessage,
  JsonObject,
  ProcessingResult,
  ValidationResult,
} from "@narrative-engine/contracts";
import {
  GLUCOSE_TARGETS,
  glucoseBand,
  glucoseManagementIndicator,
  glycemiaRiskIndex,
  griZone,
  inTightRange,
  type GlucoseBand,
} from "./glucose-ranges.ts";
import {
  NarrativeBuilder,
  groupByLocalHour,
  hourLabel,
  localDate,
  localDateTimeLabel,
  localHour,
  round1,
  round2,
  joinLabels,
  sourceLabel,
  summarizeOffsets,
  type Episode,
  type ResolvedOffset,
} from "./toolkit/index.ts";
import { preparePointColumns } from "./toolkit/prepare-point-readings.ts";
import { captureOfDistinctAscending, cadenceOfDistinctAscending } from "./toolkit/cadence.ts";
import { findEpisodesInColumns } from "./toolkit/find-episodes.ts";
import { indexOfTime } from "./toolkit/sorted-search.ts";
import { extremesOf, meanOf, quartilesBySelection, standardDeviationAround } from "./toolkit/statistics.ts";

/** Version of the blood glucose processor, written to training metadata. */
export const BLOOD_GLUCOSE_PROCESSOR_VERSION = "1.0.0";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Cadence assumed for episode durations when it cannot be inferred (one reading): the Dexcom's 5 min. */
const DEFAULT_CADENCE_MS = 5 * MINUTE_MS;
/** Readings outside this range (the validation plausibility range) are left out of every figure. */
const PLAUSIBLE_MG_DL = { min: 20, max: 600 } as const;
/** Episodes: ≥ 15 consecutive minutes beyond a threshold. */
const EPISODE_MIN_MINUTES = 15;
/** One missed reading (plus jitter) does not break an episode: neighbours may be up to 2.5 cadences apart. */
const EPISODE_MAX_GAP_CADENCES = 2.5;
/** A local day is complete (counts toward a trend) at ≥ 70 % of a full day's expected readings. */
const COMPLETE_DAY_MIN_CAPTURE_PCT = 70;
const TREND_MIN_COMPLETE_DAYS = 2;
/** Per-day figures are listed in the narrative up to this many days, summarised beyond. */
const MAX_LISTED = 7;
const PROFILE_MIN_READINGS_PER_HOUR = 3;
const REFERENCE = "2019 International Consensus on Time in Range (Battelino et al., Diabetes Care)";

type EpisodeKind = "below_70" | "below_54" | "above_180" | "above_250";

const EPISODE_RULES: readonly { kind: EpisodeKind; test: (v: number) => boolean; label: string; extreme: "min" | "max" }[] = [
  { kind: "below_70", test: (v) => v < 70, label: "below 70 mg/dL", extreme: "min" },
  { kind: "below_54", test: (v) => v < 54, label: "below 54 mg/dL", extreme: "min" },
  { kind: "above_180", test: (v) => v > 180, label: "above 180 mg/dL", extreme: "max" },
  { kind: "above_250", test: (v) => v > 250, label: "above 250 mg/dL", extreme: "max" },
];

const MEAL_RELATIONS = [
  { relation: "FASTING", key: "fasting", label: "fasting" },
  { relation: "BEFORE_MEAL", key: "before_meal", label: "before a meal" },
  { relation: "AFTER_MEAL", key: "after_meal", label: "after a meal" },
] as const;

const MEAL_INDEX: ReadonlyMap<string, number> = new Map(MEAL_RELATIONS.map((m, i) => [m.relation, i]));

const pct = (count: number, total: number): number => (total === 0 ? 0 : (100 * count) / total);

/**
 * Continuous glucose monitoring summary against the 2019 International Consensus on Time in
 * Range: mean, SD, CV, GMI, time in the five ranges and the tight range, GRI, episodes,
 * capture and data sufficiency, local-hour profile, meal context (only from
 * `relationToMeal`) and a day-to-day trend when at least two local days are complete.
 * Readings are de-duplicated by `metadata.id`, then one source is kept per overlapping
 * interval, then repeated timestamps are dropped; values are rounded to 0.1 mg/dL first.
 * Empty input (or nothing usable) gives `success: false` with a plain message.
 */
export class BloodGlucoseProcessor implements ClinicalProcessor<"BloodGlucoseRecord"> {
  /** The record type handled. */
  readonly recordType = "BloodGlucoseRecord" as const;
  /** Processor version. */
  readonly version: string = BLOOD_GLUCOSE_PROCESSOR_VERSION;

  /** Nothing to prepare; safe to call twice. */
  async initialize(): Promise<void> {
    // Stateless.
  }

  /** Nothing to release; safe to call twice. */
  async cleanup(): Promise<void> {
    // Stateless.
  }

  /** Computes insights and a narrative for one file's glucose readings. */
  processWithClinicalInsights(
    records: readonly BloodGlucoseRecord[],
    message: HealthDataMessage,
    validation: ValidationResult,
  ): Promise<ProcessingResult> {
    const started = performance.now();
    const analysis = analyzeBloodGlucose(records, message.healthMetadata);
    const seconds = (performance.now() - started) / 1000;
    if (analysis.kind === "insufficient") {
      return Promise.resolve({
        success: false,
        errorMessage: analysis.reason,
        processingTimeSeconds: seconds,
        recordsProcessed: analysis.recordsProcessed,
        qualityScore: validation.qualityScore,
        clinicalInsights: analysis.insights,
      });
    }
    return Promise.resolve({
      success: true,
      narrative: analysis.narrative,
      processingTimeSeconds: seconds,
      recordsProcessed: analysis.recordsProcessed,
      qualityScore: validation.qualityScore,
      clinicalInsights: analysis.insights,
    });
  }
}

/** Outcome of {@link analyzeBloodGlucose}. */
export type GlucoseAnalysis =
  | { readonly kind: "narrative"; readonly narrative: string; readonly insights: ClinicalInsights; readonly recordsProcessed: number }
  | { readonly kind: "insufficient"; readonly reason: string; readonly insights: ClinicalInsights; readonly recordsProcessed: number };

/** The pure analysis behind {@link BloodGlucoseProcessor}: same records and metadata, same output, byte for byte. */
export function analyzeBloodGlucose(
  records: readonly BloodGlucoseRecord[],
  healthMetadata: Readonly<Record<string, unknown>> | undefined,
): GlucoseAnalysis {
  const { times, values, offsets: readingOffsets, sources: readingSources, records: readingRecords, handling } = preparePointColumns(records, {
    time: (r) => r.timeEpochMillis,
    value: (r) => r.levelInMilligramsPerDeciliter,
    zoneOffsetId: (r) => r.zoneOffsetId,
    plausible: PLAUSIBLE_MG_DL,
    healthMetadata,
    defaultCadenceMs: DEFAULT_CADENCE_MS,
  });

  const n = times.length;
  if (n === 0) {
    const reason =
      records.length === 0
        ? "no blood glucose records to describe (the file holds no readings)"
        : "no usable blood glucose readings after de-duplication and plausibility checks";
    return { kind: "insufficient", reason, recordsProcessed: 0, insights: { record_type: "BloodGlucoseRecord", reading_count: 0, ...handling } };
  }

  // perf: the figures below are computed from the readings' columns in a few passes rather
  // than from mapped and filtered copies of reading objects. Readings come sorted by time with no
  // repeated timestamp, so the times are already the distinct, ascending series cadence and
  // capture need.
  const first = { time: times[0]!, offset: readingOffsets[0]! };
  const last = { time: times[n - 1]!, offset: readingOffsets[n - 1]! };
  const cadenceMs = cadenceOfDistinctAscending(times);
  const capture = cadenceMs === undefined || !(cadenceMs > 0) ? undefined : captureOfDistinctAscending(times, cadenceMs);
  const spanMs = last.time - first.time;

  // Levels. Values are rounded to 0.1, so never NaN or −0: a typed-array sort orders them as the comparator would.
  const meanValue = meanOf(values);
  const sd = n < 2 ? null : standardDeviationAround(values, meanValue);
  const cv = sd === null ? null : (100 * sd) / meanValue;
  const q = quartilesBySelection(values.slice());
  const { min: minValue, max: maxValue } = extremesOf(values);
  const gmi = glucoseManagementIndicator(meanValue);

  // Ranges.
  const bandCounts: Record<GlucoseBand, number> = { very_low: 0, low: 0, in_range: 0, high: 0, very_high: 0 };
  let tight = 0;
  for (const v of values) {
    bandCounts[glucoseBand(v)] += 1;
    if (inTightRange(v)) tight += 1;
  }
  const p = {
    below54: round2(pct(bandCounts.very_low, n)),
    from54to69: round2(pct(bandCounts.low, n)),
    from70to180: round2(pct(bandCounts.in_range, n)),
    from181to250: round2(pct(bandCounts.high, n)),
    above250: round2(pct(bandCounts.very_high, n)),
    below70: round2(pct(bandCounts.very_low + bandCounts.low, n)),
    above180: round2(pct(bandCounts.high + bandCounts.very_high, n)),
    tight: round2(pct(tight, n)),
  };
  const gri = round2(
    glycemiaRiskIndex({
      veryLow: pct(bandCounts.very_low, n),
      low: pct(bandCounts.low, n),
      high: pct(bandCounts.high, n),
      veryHigh: pct(bandCounts.very_high, n),
    }),
  );
  const zone = griZone(gri);
  const cvRounded = cv === null ? null : round2(cv);
  const targetsMet = {
    time_in_range: p.from70to180 > GLUCOSE_TARGETS.timeInRangeMinPct,
    below_54: p.below54 < GLUCOSE_TARGETS.below54MaxPct,
    below_70: p.below70 < GLUCOSE_TARGETS.below70MaxPct,
    above_180: p.above180 < GLUCOSE_TARGETS.above180MaxPct,
    above_250: p.above250 < GLUCOSE_TARGETS.above250MaxPct,
    cv: cvRounded === null ? null : cvRounded <= GLUCOSE_TARGETS.cvMaxPct,
  };

  // Episodes.
  const episodeCadence = cadenceMs ?? DEFAULT_CADENCE_MS;
  // The offset of the reading at an episode's start or end (times are distinct and ascending).
  const offsetAt = (time: number): number => readingOffsets[indexOfTime(times, time)]?.offsetMinutes ?? 0;
  const episodes = {} as Record<EpisodeKind, Episode[]>;
  for (const rule of EPISODE_RULES) {
    episodes[rule.kind] = findEpisodesInColumns(times, values, rule.test, {
      minDurationMs: EPISODE_MIN_MINUTES * MINUTE_MS,
      maxGapMs: EPISODE_MAX_GAP_CADENCES * episodeCadence,
      sampleDurationMs: episodeCadence,
    });
  }
  const episodeInsights: JsonObject = { min_duration_minutes: EPISODE_MIN_MINUTES };
  for (const rule of EPISODE_RULES) {
    const list = episodes[rule.kind];
    const minutes = list.map((e) => round1(e.durationMs / MINUTE_MS));
    episodeInsights[rule.kind] = {
      count: list.length,
      total_minutes: round1(minutes.reduce((a, b) => a + b, 0)),
      longest_minutes: minutes.length === 0 ? 0 : Math.max(...minutes),
      episodes: list.map((e) => ({
        start_local: localDateTimeLabel(e.start, offsetAt(e.start)),
        end_local: localDateTimeLabel(e.end, offsetAt(e.end)),
        duration_minutes: round1(e.durationMs / MINUTE_MS),
        readings: e.count,
        [rule.extreme === "min" ? "lowest_mg_dl" : "highest_mg_dl"]: rule.extreme === "min" ? e.min : e.max,
      })),
    };
  }

  // Local days.
  const fullDayExpected = cadenceMs === undefined ? undefined : DAY_MS / cadenceMs;
  const days = localDayTotals(times, values, readingOffsets).map(({ date, count, sum }) => {
    const dayCapture = fullDayExpected === undefined ? null : round1(Math.min(100, (100 * count) / fullDayExpected));
    return {
      date,
      readings: count,
      mean_mg_dl: round2(sum / count),
      capture_pct_of_full_day: dayCapture,
      complete: dayCapture !== null && dayCapture >= COMPLETE_DAY_MIN_CAPTURE_PCT,
    };
  });
  const completeDays = days.filter((d) => d.complete);
  const trendAvailable = completeDays.length >= TREND_MIN_COMPLETE_DAYS;

  // Hourly profile.
  const hourly = [...localHourValues(times, values, readingOffsets)].map(([hour, list]) => {
    const hq = quartilesBySelection(list);
    return {
      hour,
      hour_label: hourLabel(hour),
      readings: list.length,
      median_mg_dl: round1(hq.median),
      q1_mg_dl: round1(hq.q1),
      q3_mg_dl: round1(hq.q3),
      iqr_mg_dl: round1(hq.iqr),
    };
  });

  // Meal context, only from relationToMeal.
  // One pass for the meal tags, specimens, sources and offsets; sums run in reading order, as the means did.
  const mealCounts = [0, 0, 0];
  const mealSums = [0, 0, 0];
  const specimenCounts = new Map<string, number>();
  const sourceSet = new Set<string>();
  const offsetSet = new Set<ResolvedOffset>();
  for (let i = 0; i < n; i++) {
    const record = readingRecords[i]!;
    const m = MEAL_INDEX.get(record.relationToMeal);
    if (m !== undefined) {
      mealCounts[m] = (mealCounts[m] ?? 0) + 1;
      mealSums[m] = (mealSums[m] ?? 0) + values[i]!;
    }
    specimenCounts.set(record.specimenSource, (specimenCounts.get(record.specimenSource) ?? 0) + 1);
    sourceSet.add(readingSources[i]!);
    offsetSet.add(readingOffsets[i]!);
  }
  // Keys in order of first appearance, as counting straight into the object gave them.
  const specimens: JsonObject = {};
  for (const [specimen, count] of specimenCounts) specimens[specimen] = count;
  const meal: JsonObject = {};
  let tagged = 0;
  MEAL_RELATIONS.forEach((m, i) => {
    const count = mealCounts[i] ?? 0;
    tagged += count;
    meal[m.key] = count === 0 ? null : { readings: count, mean_mg_dl: round2((mealSums[i] ?? 0) / count) };
  });
  meal["tagged_readings"] = tagged;
  const sources = [...sourceSet].sort();
  const offsets = summarizeOffsets(offsetSet);
  const daysCovered = round2(spanMs / DAY_MS);
  const captureRounded = capture === undefined ? null : round2(capture.capturePercent);
  const sufficient = daysCovered >= GLUCOSE_TARGETS.minDays && captureRounded !== null && captureRounded >= GLUCOSE_TARGETS.minCapturePct;

  const insights: JsonObject = {
    record_type: "BloodGlucoseRecord",
    unit: "mg/dL",
    reference: REFERENCE,
    reading_count: n,
    ...handling,
    sources,
    source_labels: sources.map(sourceLabel),
    specimen_sources: specimens,
    ...offsets,
    first_reading_local: localDateTimeLabel(first.time, first.offset.offsetMinutes),
    last_reading_local: localDateTimeLabel(last.time, last.offset.offsetMinutes),
    covered_hours: round1(spanMs / (60 * MINUTE_MS)),
    covered_days: daysCovered,
    sensor_interval_minutes: cadenceMs === undefined ? null : round1(cadenceMs / MINUTE_MS),
    expected_readings: capture === undefined ? null : capture.expected,
    capture_rate_pct: captureRounded,
    data_sufficiency: {
      met: sufficient,
      days_covered: daysCovered,
      capture_rate_pct: captureRounded,
      required_days: GLUCOSE_TARGETS.minDays,
      required_capture_pct: GLUCOSE_TARGETS.minCapturePct,
    },
    mean_mg_dl: round2(meanValue),
    sd_mg_dl: sd === null ? null : round2(sd),
    cv_pct: cvRounded,
    median_mg_dl: round2(q.median),
    q1_mg_dl: round2(q.q1),
    q3_mg_dl: round2(q.q3),
    min_mg_dl: minValue,
    max_mg_dl: maxValue,
    gmi_pct: round2(gmi),
    time_in_ranges_pct: {
      below_54: p.below54,
      from_54_to_69: p.from54to69,
      from_70_to_180: p.from70to180,
      from_181_to_250: p.from181to250,
      above_250: p.above250,
      below_70: p.below70,
      above_180: p.above180,
      tight_70_to_140: p.tight,
    },
    readings_in_ranges: {
      below_54: bandCounts.very_low,
      from_54_to_69: bandCounts.low,
      from_70_to_180: bandCounts.in_range,
      from_181_to_250: bandCounts.high,
      above_250: bandCounts.very_high,
      tight_70_to_140: tight,
    },
    range_rule: "bounds apply to values rounded to 0.1 mg/dL: below 54 is 53.9 or lower; 54-69 is 54.0-69.9; 70-180 inclusive; 181-250 is 180.1-250.0; above 250 is 250.1 or higher; tight range 70-140 inclusive",
    consensus_targets: {
      time_in_range_min_pct: GLUCOSE_TARGETS.timeInRangeMinPct,
      below_54_max_pct: GLUCOSE_TARGETS.below54MaxPct,
      below_70_max_pct: GLUCOSE_TARGETS.below70MaxPct,
      above_180_max_pct: GLUCOSE_TARGETS.above180MaxPct,
      above_250_max_pct: GLUCOSE_TARGETS.above250MaxPct,
      cv_max_pct: GLUCOSE_TARGETS.cvMaxPct,
    },
    targets_met: targetsMet,
    gri,
    gri_zone: zone,
    gri_rule: "GRI = 3.0 x %<54 + 2.4 x %54-69 + 1.6 x %>250 + 0.8 x %181-250, capped at 100; zones A 0-20, B 21-40, C 41-60, D 61-80, E 81-100",
    episodes: episodeInsights,
    local_day_count: days.length,
    readings_per_local_day: days,
    hourly_profile: hourly,
    meal_context: meal,
    trend: {
      available: trendAvailable,
      complete_days: completeDays.length,
      required_complete_days: TREND_MIN_COMPLETE_DAYS,
      complete_day_min_capture_pct: COMPLETE_DAY_MIN_CAPTURE_PCT,
      daily_means_mg_dl: trendAvailable ? completeDays.map((d) => ({ date: d.date, mean_mg_dl: d.mean_mg_dl })) : [],
    },
  };

  const narrative = glucoseNarrative({
    insights,
    n,
    sources,
    offsetsUsed: offsets.utc_offsets_used,
    first: insights["first_reading_local"] as string,
    last: insights["last_reading_local"] as string,
    coveredHours: insights["covered_hours"] as number,
    cadenceMinutes: insights["sensor_interval_minutes"] as number | null,
    captureRounded,
    daysCovered,
    sufficient,
    isCgm: cadenceMs !== undefined && cadenceMs <= 15 * MINUTE_MS && readingRecords.every((r) => r.specimenSource === "INTERSTITIAL_FLUID"),
    meanMgDl: round2(meanValue),
    sdMgDl: sd === null ? null : round2(sd),
    cvPct: cvRounded,
    min: insights["min_mg_dl"] as number,
    max: insights["max_mg_dl"] as number,
    gmiPct: round2(gmi),
    p,
    targetsMet,
    gri,
    zone,
    episodes,
    days,
    hourly,
    mealTagged: tagged,
    meal,
    trendAvailable,
    completeDays: completeDays.map((d) => ({ date: d.date, mean: d.mean_mg_dl })),
  });
  return { kind: "narrative", narrative, insights, recordsProcessed: n };
}

/** Readings count and value sum per local date, dates ascending (sums in reading order). */
function localDayTotals(times: Float64Array, values: Float64Array, offsets: readonly ResolvedOffset[]): { date: string; count: number; sum: number }[] {
  const byDate = new Map<string, { date: string; count: number; sum: number }>();
  for (let i = 0; i < times.length; i++) {
    const date = localDate(times[i]!, offsets[i]!.offsetMinutes);
    const day = byDate.get(date);
    if (day === undefined) byDate.set(date, { date, count: 1, sum: values[i]! });
    else {
      day.count += 1;
      day.sum += values[i]!;
    }
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Values per local hour, hours ascending, reading order inside an hour (as groupByLocalHour groups them). */
function localHourValues(times: Float64Array, values: Float64Array, offsets: readonly ResolvedOffset[]): Map<number, Float64Array> {
  // Two passes, so each hour's values go straight into an array of the right size.
  const n = times.length;
  const hours = new Uint8Array(n);
  const counts = new Array<number>(24).fill(0);
  for (let i = 0; i < n; i++) {
    const hour = localHour(times[i]!, offsets[i]!.offsetMinutes);
    // An instant beyond the Date range has no hour (NaN): leave such input to the general grouping.
    if (!(hour >= 0 && hour < 24)) return localHourValuesGeneral(times, values, offsets);
    hours[i] = hour;
    counts[hour] = counts[hour]! + 1;
  }
  const byHour = new Map<number, Float64Array>();
  const filled = new Array<number>(24).fill(0);
  counts.forEach((count, hour) => {
    if (count > 0) byHour.set(hour, new Float64Array(count));
  });
  for (let i = 0; i < n; i++) {
    const hour = hours[i]!;
    byHour.get(hour)![filled[hour]!] = values[i]!;
    filled[hour] = filled[hour]! + 1;
  }
  return byHour;
}

function localHourValuesGeneral(times: Float64Array, values: Float64Array, offsets: readonly ResolvedOffset[]): Map<number, Float64Array> {
  const indices = Array.from(times, (_, i) => i);
  const groups = groupByLocalHour(indices, { time: (i) => times[i]!, offsetMinutes: (i) => offsets[i]!.offsetMinutes });
  return new Map([...groups].map(([hour, list]) => [hour, Float64Array.from(list, (i) => values[i]!)]));
}

interface NarrativeInput {
  readonly insights: JsonObject;
  readonly n: number;
  readonly sources: readonly string[];
  readonly offsetsUsed: readonly string[];
  readonly first: string;
  readonly last: string;
  readonly coveredHours: number;
  readonly cadenceMinutes: number | null;
  readonly captureRounded: number | null;
  readonly daysCovered: number;
  readonly sufficient: boolean;
  readonly isCgm: boolean;
  readonly meanMgDl: number;
  readonly sdMgDl: number | null;
  readonly cvPct: number | null;
  readonly min: number;
  readonly max: number;
  readonly gmiPct: number;
  readonly p: Readonly<Record<"below54" | "from54to69" | "from70to180" | "from181to250" | "above250" | "below70" | "above180" | "tight", number>>;
  readonly targetsMet: Readonly<Record<string, boolean | null>>;
  readonly gri: number;
  readonly zone: string;
  readonly episodes: Readonly<Record<EpisodeKind, readonly Episode[]>>;
  readonly days: readonly { date: string; readings: number }[];
  readonly hourly: readonly { hour_label: string; median_mg_dl: number; q1_mg_dl: number; q3_mg_dl: number; readings: number }[];
  readonly mealTagged: number;
  readonly meal: JsonObject;
  readonly trendAvailable: boolean;
  readonly completeDays: readonly { date: string; mean: number }[];
}

function glucoseNarrative(x: NarrativeInput): string {
  const b = new NarrativeBuilder();
  const t = GLUCOSE_TARGETS;
  const share = (v: number): string => b.pct(v, 2, { trim: true });
  const offsets = x.offsetsUsed.map((o) => `UTC${o}`).join(", ");
  const kind = x.isCgm ? "continuous glucose monitor readings (interstitial fluid)" : "glucose readings";
  const sourceText = joinLabels(x.sources.map(sourceLabel));

  // 1. What the data is.
  b.add(
    `This summary describes ${b.int(x.n)} ${kind} from ${sourceText}, recorded from ${b.literal(x.first)} to ${b.literal(x.last)} local time (${offsets}), a span of ${b.num(x.coveredHours, 1)} hours.`,
  );
  if (x.cadenceMinutes !== null && x.captureRounded !== null) {
    b.add(
      `Readings arrived about every ${b.num(x.cadenceMinutes, 1, { trim: true })} minutes and ${share(x.captureRounded)} of the readings expected over that span were captured.`,
    );
  } else {
    b.add("With a single reading there is no sensor cadence, so capture cannot be assessed.");
  }
  if (x.sufficient) {
    b.add(
      `The data meet the consensus minimum of ${b.int(t.minDays)} days with at least ${share(t.minCapturePct)} capture.`,
    );
  } else {
    b.add(
      `The ${b.literal("2019")} International Consensus on Time in Range asks for at least ${b.int(t.minDays)} days of data with at least ${share(t.minCapturePct)} capture; this period covers ${b.num(x.daysCovered, 2, { trim: true })} days, so the figures describe this period only and are not a full assessment of glucose control.`,
    );
  }

  // 2. Level and variability.
  b.paragraph();
  if (x.sdMgDl === null || x.cvPct === null) {
    b.add(`The single reading was ${b.num(x.meanMgDl, 2, { trim: true })} mg/dL; variability needs at least two readings.`);
  } else {
    b.add(
      `Mean glucose was ${b.num(x.meanMgDl, 2)} mg/dL with a standard deviation of ${b.num(x.sdMgDl, 2)} mg/dL, and readings ranged from ${b.num(x.min, 1, { trim: true })} to ${b.num(x.max, 1, { trim: true })} mg/dL.`,
    );
    b.add(
      `The coefficient of variation was ${b.pct(x.cvPct, 2)}, ${x.cvPct <= t.cvMaxPct ? "within" : "above"} the consensus target of ${share(t.cvMaxPct)} or less.`,
    );
  }
  b.add(
    `The glucose management indicator (GMI), an estimate of HbA1c from mean glucose that is designed for ${b.int(t.minDays)} or more days of data, was ${b.pct(x.gmiPct, 2)}.`,
  );

  // 3. Time in ranges.
  b.paragraph();
  b.add(
    `Time in range (70–180 mg/dL) was ${share(x.p.from70to180)}, against a consensus target of more than ${share(t.timeInRangeMinPct)}.`,
  );
  b.add(
    `Time below 70 mg/dL was ${share(x.p.below70)} (target under ${share(t.below70MaxPct)}), including ${share(x.p.below54)} below 54 mg/dL (target under ${share(t.below54MaxPct)}); time above 180 mg/dL was ${share(x.p.above180)} (target under ${share(t.above180MaxPct)}), including ${share(x.p.above250)} above 250 mg/dL (target under ${share(t.above250MaxPct)}).`,
  );
  b.add(`Time in the tighter 70–140 mg/dL range was ${share(x.p.tight)}.`);
  b.add(`The glycemia risk index (GRI) was ${b.num(x.gri, 2, { trim: true })}, in zone ${x.zone} on a scale from A (lowest risk) to E (highest risk).`);
  const low = x.episodes.below_70;
  const veryLow = x.episodes.below_54;
  const high = x.episodes.above_180;
  const veryHigh = x.episodes.above_250;
  if (low.length === 0 && high.length === 0) {
    b.add(`There were no episodes of ${b.int(EPISODE_MIN_MINUTES)} minutes or longer below 70 mg/dL or above 180 mg/dL.`);
  } else {
    const parts: string[] = [];
    const within = (n: number, what: string): string => (n === 0 ? `none reaching ${what}` : `${b.int(n)} of them reaching ${what}`);
    if (low.length > 0) parts.push(`${b.int(low.length)} below 70 mg/dL (${within(veryLow.length, "below 54 mg/dL")})`);
    if (high.length > 0) parts.push(`${b.int(high.length)} above 180 mg/dL (${within(veryHigh.length, "above 250 mg/dL")})`);
    b.add(`Episodes lasting ${b.int(EPISODE_MIN_MINUTES)} minutes or longer: ${parts.join("; ")}.`);
  }
  const missed: string[] = [];
  if (!x.targetsMet["time_in_range"]) missed.push("time in range");
  if (!x.targetsMet["below_70"] || !x.targetsMet["below_54"]) missed.push("time below range");
  if (!x.targetsMet["above_180"] || !x.targetsMet["above_250"]) missed.push("time above range");
  if (x.targetsMet["cv"] === false) missed.push("glucose variability");
  if (missed.length === 0) {
    b.add("All the consensus targets listed above were met in this period.");
  } else {
    b.add(
      `The consensus targets for ${joinLabels(missed)} were not met in this period; this is worth discussing with a clinician, who can interpret it alongside the person's history.`,
    );
  }

  // 4. Patterns.
  b.paragraph();
  if (x.days.length <= MAX_LISTED) {
    b.add(`Readings per local day: ${x.days.map((d) => `${b.literal(d.date)}: ${b.int(d.readings)}`).join("; ")}.`);
  } else {
    b.add(`The readings fall on ${b.int(x.days.length)} local days, from ${b.literal(x.days[0]!.date)} to ${b.literal(x.days[x.days.length - 1]!.date)}.`);
  }
  // Only hours with at least 3 readings (15 minutes at a 5-minute cadence) are compared.
  const hours = x.hourly.filter((h) => h.readings >= PROFILE_MIN_READINGS_PER_HOUR);
  if (hours.length >= 2) {
    let highest = hours[0]!;
    let lowest = hours[0]!;
    for (const h of hours) {
      if (h.median_mg_dl > highest.median_mg_dl) highest = h;
      if (h.median_mg_dl < lowest.median_mg_dl) lowest = h;
    }
    b.add(
      `By local hour, median glucose was highest in the ${b.literal(highest.hour_label)} hour (${b.num(highest.median_mg_dl, 1)} mg/dL, interquartile range ${b.num(highest.q1_mg_dl, 1)}–${b.num(highest.q3_mg_dl, 1)}) and lowest in the ${b.literal(lowest.hour_label)} hour (${b.num(lowest.median_mg_dl, 1)} mg/dL, interquartile range ${b.num(lowest.q1_mg_dl, 1)}–${b.num(lowest.q3_mg_dl, 1)}).`,
    );
  }
  if (x.mealTagged === 0) {
    b.add("No reading was tagged as fasting, before a meal or after a meal, so no meal-related pattern is described.");
  } else {
    const parts: string[] = [];
    for (const m of MEAL_RELATIONS) {
      const entry = x.meal[m.key] as { readings: number; mean_mg_dl: number } | null;
      if (entry !== null) parts.push(`${b.int(entry.readings)} tagged ${m.label} averaged ${b.num(entry.mean_mg_dl, 2)} mg/dL`);
    }
    b.add(`Using the meal tags recorded with the readings: ${parts.join("; ")}.`);
  }
  if (x.trendAvailable && x.completeDays.length <= MAX_LISTED) {
    b.add(
      `Across the ${b.int(x.completeDays.length)} local days with near-complete data, daily mean glucose was ${x.completeDays.map((d) => `${b.num(d.mean, 2)} mg/dL on ${b.literal(d.date)}`).join(", ")}.`,
    );
  } else if (x.trendAvailable) {
    let lowDay = x.completeDays[0]!;
    let highDay = x.completeDays[0]!;
    for (const d of x.completeDays) {
      if (d.mean < lowDay.mean) lowDay = d;
      if (d.mean > highDay.mean) highDay = d;
    }
    b.add(
      `Across the ${b.int(x.completeDays.length)} local days with near-complete data, daily mean glucose ranged from ${b.num(lowDay.mean, 2)} mg/dL on ${b.literal(lowDay.date)} to ${b.num(highDay.mean, 2)} mg/dL on ${b.literal(highDay.date)}.`,
    );
  } else {
    b.add(
      `A day-to-day trend needs at least ${b.int(TREND_MIN_COMPLETE_DAYS)} local days with at least ${share(COMPLETE_DAY_MIN_CAPTURE_PCT)} of a full day's readings, so none is described.`,
    );
  }
  return b.build(x.insights);
}
