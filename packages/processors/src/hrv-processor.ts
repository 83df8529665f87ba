import type {
  ClinicalInsights,
  ClinicalProcessor,
  HealthDataMessage,
  HeartRateVariabilityRmssdRecord,
  JsonObject,
  ProcessingResult,
  ValidationResult,
} from "@narrative-engine/contracts";
import {
  NarrativeBuilder,
  hourLabel,
  joinLabels,
  localDate,
  localDateTimeLabel,
  localHour,
  mean,
  roundTo,
  round1,
  sampleStandardDeviation,
  sourceLabel,
  summarizeOffsets,
} from "./toolkit/index.ts";
import { cadenceOfDistinctAscending } from "./toolkit/cadence.ts";
import { preparePointColumns } from "./toolkit/prepare-point-readings.ts";
import { extremesOf, meanOf, quantileBySelection, standardDeviationAround } from "./toolkit/statistics.ts";

/** Version of the HRV processor, written to training metadata. */
export const HRV_PROCESSOR_VERSION = "1.0.0";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Health Connect's RMSSD limits (the validation plausibility range), ms. */
const PLAUSIBLE_MS = { min: 1, max: 200 } as const;
const DEFAULT_CADENCE_MS = 5 * MINUTE_MS;
/**
 * An HRV file carries no sleep records, so the main sleep window is approximated by the
 * overnight local window: readings from 18:00 up to (not including) 12:00 the next day form
 * one night, labelled by the date on which it ends (the morning).
 */
const NIGHT_START_HOUR = 18;
const NIGHT_END_HOUR = 12;
/** A trend needs this many nights; it compares the 7-night rolling mean of ln RMSSD with the baseline ± 0.5 SD. */
const TREND_MIN_NIGHTS = 7;
const ROLLING_NIGHTS = 7;
const BASELINE_BAND_SD = 0.5;
/** Nightly values are listed in the narrative up to this many nights, summarised beyond. */
const MAX_LISTED_NIGHTS = 7;
const REFERENCE_RANGE_MS = { low: 19, high: 75 } as const;
const REFERENCE =
  "short-term RMSSD in healthy adults is roughly 19-75 ms and lower on average at older ages (Nunan et al., Pacing Clin Electrophysiol 2010; Shaffer and Ginsberg, Front Public Health 2017)";

/** One night of readings (their indices in the prepared columns). */
interface Night {
  readonly nightEnding: string;
  readonly readings: readonly number[];
}

/** Outcome of {@link analyzeHrv}. */
export type HrvAnalysis =
  | { readonly kind: "narrative"; readonly narrative: string; readonly insights: ClinicalInsights; readonly recordsProcessed: number }
  | { readonly kind: "insufficient"; readonly reason: string; readonly insights: ClinicalInsights; readonly recordsProcessed: number };

/**
 * Heart-rate variability (RMSSD) summary: mean, median, SD, min/max and mean ln(RMSSD) over
 * all readings; a nightly value (the mean of the readings in the overnight window); a trend
 * only across ≥ 7 nights (7-night rolling ln RMSSD against the baseline ± 0.5 SD). Values are
 * presented as wearable-derived and compared with the published adult range and, when there
 * are enough nights, with the person's own baseline. Empty input gives `success: false`.
 */
export class HrvProcessor implements ClinicalProcessor<"HeartRateVariabilityRmssdRecord"> {
  /** The record type handled. */
  readonly recordType = "HeartRateVariabilityRmssdRecord" as const;
  /** Processor version. */
  readonly version: string = HRV_PROCESSOR_VERSION;

  /** Nothing to prepare; safe to call twice. */
  async initialize(): Promise<void> {
    // Stateless.
  }

  /** Nothing to release; safe to call twice. */
  async cleanup(): Promise<void> {
    // Stateless.
  }

  /** Computes insights and a narrative for one file's RMSSD readings. */
  processWithClinicalInsights(
    records: readonly HeartRateVariabilityRmssdRecord[],
    message: HealthDataMessage,
    validation: ValidationResult,
  ): Promise<ProcessingResult> {
    const started = performance.now();
    const analysis = analyzeHrv(records, message.healthMetadata);
    const processingTimeSeconds = (performance.now() - started) / 1000;
    return Promise.resolve(
      analysis.kind === "insufficient"
      ? {
          success: false,
          errorMessage: analysis.reason,
          processingTimeSeconds,
          recordsProcessed: analysis.recordsProcessed,
          qualityScore: validation.qualityScore,
          clinicalInsights: analysis.insights,
        }
      : {
          success: true,
          narrative: analysis.narrative,
          processingTimeSeconds,
          recordsProcessed: analysis.recordsProcessed,
          qualityScore: validation.qualityScore,
          clinicalInsights: analysis.insights,
        },
    );
  }
}

/** The night a reading belongs to (the local date the night ends on), or undefined for a daytime reading (12:00–17:59 local). */
export function nightOf(time: number, offsetMinutes: number): string | undefined {
  const hour = localHour(time, offsetMinutes);
  if (hour < NIGHT_END_HOUR) return localDate(time, offsetMinutes);
  if (hour >= NIGHT_START_HOUR) return localDate(time + DAY_MS, offsetMinutes);
  return undefined;
}

/** The pure analysis behind {@link HrvProcessor}. */
export function analyzeHrv(
  records: readonly HeartRateVariabilityRmssdRecord[],
  healthMetadata: Readonly<Record<string, unknown>> | undefined,
): HrvAnalysis {
  const { times, values, offsets: readingOffsets, sources: readingSources, handling } = preparePointColumns(records, {
    time: (r) => r.timeEpochMillis,
    value: (r) => r.heartRateVariabilityRmssd,
    zoneOffsetId: (r) => r.zoneOffsetId,
    plausible: PLAUSIBLE_MS,
    healthMetadata,
    defaultCadenceMs: DEFAULT_CADENCE_MS,
  });
  const n = times.length;
  if (n === 0) {
    const reason =
      records.length === 0
        ? "no heart rate variability records to describe (the file holds no readings)"
        : "no usable heart rate variability readings after de-duplication and plausibility checks";
    return { kind: "insufficient", reason, recordsProcessed: 0, insights: { record_type: "HeartRateVariabilityRmssdRecord", reading_count: 0, ...handling } };
  }

  // perf: figures from the readings' columns (sorted by time, no repeated timestamp) in a few
  // passes, sums in reading order as mean() adds them.
  const first = { time: times[0]!, offset: readingOffsets[0]! };
  const last = { time: times[n - 1]!, offset: readingOffsets[n - 1]! };
  const meanRaw = meanOf(values);
  const meanMs = round1(meanRaw);
  const sd = n < 2 ? null : standardDeviationAround(values, meanRaw);
  const sdMs = sd === null ? null : round1(sd);
  // Values are rounded to 0.1 (never NaN or −0), so selection finds what a sort would.
  const medianMs = round1(quantileBySelection(values.slice(), 0.5));
  const { min: minMs, max: maxMs } = extremesOf(values);
  let lnSum = 0;
  for (let i = 0; i < n; i++) lnSum += Math.log(values[i]!);
  const meanLn = roundTo(lnSum / n, 3);
  const cadenceMs = cadenceOfDistinctAscending(times);

  // Nights: the indices of their readings, in time order.
  const nightMap = new Map<string, number[]>();
  let daytime = 0;
  for (let i = 0; i < n; i++) {
    const key = nightOf(times[i]!, readingOffsets[i]!.offsetMinutes);
    if (key === undefined) {
      daytime += 1;
      continue;
    }
    const list = nightMap.get(key);
    if (list === undefined) nightMap.set(key, [i]);
    else list.push(i);
  }
  const nights: Night[] = [...nightMap.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([nightEnding, list]) => ({ nightEnding, readings: list }));
  const nightlyMean = (night: Night): number => mean(night.readings.map((i) => values[i]!));
  const nightInsights = nights.map((night) => {
    const f = night.readings[0]!;
    const l = night.readings[night.readings.length - 1]!;
    const nightly = nightlyMean(night);
    return {
      night_ending: night.nightEnding,
      readings: night.readings.length,
      first_local: localDateTimeLabel(times[f]!, readingOffsets[f]!.offsetMinutes),
      last_local: localDateTimeLabel(times[l]!, readingOffsets[l]!.offsetMinutes),
      nightly_rmssd_ms: round1(nightly),
      ln_nightly_rmssd: roundTo(Math.log(nightly), 3),
    };
  });

  // Trend across ≥ 7 nights.
  const trend: JsonObject = {
    available: false,
    nights: nights.length,
    min_nights: TREND_MIN_NIGHTS,
    rolling_window_nights: ROLLING_NIGHTS,
    baseline_band_sd: BASELINE_BAND_SD,
  };
  if (nights.length >= TREND_MIN_NIGHTS) {
    const lnNightly = nights.map((night) => Math.log(nightlyMean(night)));
    const rolling = lnNightly.slice(-ROLLING_NIGHTS);
    // Baseline: the nights before the rolling window when there are at least 7 of them, else all nights.
    const before = lnNightly.slice(0, -ROLLING_NIGHTS);
    const baseline = before.length >= TREND_MIN_NIGHTS ? before : lnNightly;
    const baseMean = mean(baseline);
    const baseSd = sampleStandardDeviation(baseline) ?? 0;
    const rollingMean = roundTo(mean(rolling), 3);
    const lowerBound = roundTo(baseMean - BASELINE_BAND_SD * baseSd, 3);
    const upperBound = roundTo(baseMean + BASELINE_BAND_SD * baseSd, 3);
    trend["available"] = true;
    trend["rolling_mean_ln_rmssd"] = rollingMean;
    trend["baseline_nights"] = baseline.length;
    trend["baseline_mean_ln_rmssd"] = roundTo(baseMean, 3);
    trend["baseline_sd_ln_rmssd"] = roundTo(baseSd, 3);
    trend["baseline_lower_ln_rmssd"] = lowerBound;
    trend["baseline_upper_ln_rmssd"] = upperBound;
    trend["status"] = rollingMean < lowerBound ? "below_baseline" : rollingMean > upperBound ? "above_baseline" : "within_baseline";
  }

  const sources = [...new Set(readingSources)].sort();
  const offsets = summarizeOffsets(new Set(readingOffsets));
  const referencePosition = meanMs < REFERENCE_RANGE_MS.low ? "below" : meanMs > REFERENCE_RANGE_MS.high ? "above" : "within";
  const lastNight = nightInsights[nightInsights.length - 1];

  const insights: JsonObject = {
    record_type: "HeartRateVariabilityRmssdRecord",
    metric: "RMSSD",
    unit: "ms",
    wearable_derived: true,
    reference: REFERENCE,
    reference_range_ms: { low: REFERENCE_RANGE_MS.low, high: REFERENCE_RANGE_MS.high },
    mean_vs_reference_range: referencePosition,
    reading_count: n,
    ...handling,
    sources,
    source_labels: sources.map(sourceLabel),
    ...offsets,
    first_reading_local: localDateTimeLabel(first.time, first.offset.offsetMinutes),
    last_reading_local: localDateTimeLabel(last.time, last.offset.offsetMinutes),
    reading_interval_minutes: cadenceMs === undefined ? null : round1(cadenceMs / MINUTE_MS),
    mean_rmssd_ms: meanMs,
    median_rmssd_ms: medianMs,
    sd_rmssd_ms: sdMs,
    min_rmssd_ms: minMs,
    max_rmssd_ms: maxMs,
    mean_ln_rmssd: meanLn,
    night_window_local: { start: hourLabel(NIGHT_START_HOUR), end: hourLabel(NIGHT_END_HOUR) },
    night_definition: "no sleep records accompany an HRV file, so a night is the overnight local window 18:00-12:00, labelled by the date it ends on",
    daytime_readings_excluded_from_nights: daytime,
    nights: nightInsights,
    nightly_rmssd_ms: lastNight === undefined ? null : lastNight.nightly_rmssd_ms,
    trend,
  };

  const b = new NarrativeBuilder();
  const offsetsText = offsets.utc_offsets_used.map((o) => `UTC${o}`).join(", ");
  const cadenceText = cadenceMs === undefined ? "" : `, about every ${b.num(cadenceMs / MINUTE_MS, 1, { trim: true })} minutes`;
  b.add(
    `This summary describes ${b.int(n)} wearable-derived heart rate variability readings (RMSSD, the root mean square of successive differences between heartbeats) from ${joinLabels(sources.map(sourceLabel))}, recorded from ${b.literal(insights["first_reading_local"] as string)} to ${b.literal(insights["last_reading_local"] as string)} local time (${offsetsText})${cadenceText}.`,
  );
  b.paragraph();
  if (sdMs === null) {
    b.add(`The single reading was ${b.num(meanMs, 1)} ms; spread needs at least two readings.`);
  } else {
    b.add(
      `RMSSD averaged ${b.num(meanMs, 1)} ms (median ${b.num(medianMs, 1)} ms, standard deviation ${b.num(sdMs, 1)} ms) and ranged from ${b.num(minMs, 1, { trim: true })} to ${b.num(maxMs, 1, { trim: true })} ms; the mean of the natural logarithm of RMSSD was ${b.num(meanLn, 3)}.`,
    );
  }
  if (nightInsights.length === 0) {
    b.add(
      `No reading fell in the overnight window (${b.literal(hourLabel(NIGHT_START_HOUR))} to ${b.literal(hourLabel(NIGHT_END_HOUR))} local time), so no nightly value is given.`,
    );
  } else if (nightInsights.length === 1 && lastNight !== undefined) {
    b.add(
      `Without sleep records in this file, the night is taken as the overnight window from ${b.literal(hourLabel(NIGHT_START_HOUR))} to ${b.literal(hourLabel(NIGHT_END_HOUR))} local time; for the night ending ${b.literal(lastNight.night_ending)}, the nightly value (the mean of its ${b.int(lastNight.readings)} readings) was ${b.num(lastNight.nightly_rmssd_ms, 1)} ms.`,
    );
  } else if (nightInsights.length <= MAX_LISTED_NIGHTS) {
    b.add(
      `Without sleep records in this file, each night is taken as the overnight window from ${b.literal(hourLabel(NIGHT_START_HOUR))} to ${b.literal(hourLabel(NIGHT_END_HOUR))} local time; nightly values (the mean of each night's readings) were ${nightInsights.map((ni) => `${b.num(ni.nightly_rmssd_ms, 1)} ms for the night ending ${b.literal(ni.night_ending)}`).join(", ")}.`,
    );
  } else {
    let lowNight = nightInsights[0]!;
    let highNight = nightInsights[0]!;
    for (const ni of nightInsights) {
      if (ni.nightly_rmssd_ms < lowNight.nightly_rmssd_ms) lowNight = ni;
      if (ni.nightly_rmssd_ms > highNight.nightly_rmssd_ms) highNight = ni;
    }
    b.add(
      `Without sleep records in this file, each night is taken as the overnight window from ${b.literal(hourLabel(NIGHT_START_HOUR))} to ${b.literal(hourLabel(NIGHT_END_HOUR))} local time; across ${b.int(nightInsights.length)} nights, nightly values (the mean of each night's readings) ranged from ${b.num(lowNight.nightly_rmssd_ms, 1)} ms (night ending ${b.literal(lowNight.night_ending)}) to ${b.num(highNight.nightly_rmssd_ms, 1)} ms (night ending ${b.literal(highNight.night_ending)}).`,
    );
  }
  if (daytime > 0) b.add(`${b.int(daytime)} daytime readings were left out of the nightly values.`);
  b.paragraph();
  b.add(
    `For reference, short-term RMSSD in healthy adults is roughly ${b.int(REFERENCE_RANGE_MS.low)}–${b.int(REFERENCE_RANGE_MS.high)} ms and is lower on average at older ages; the mean here lies ${referencePosition === "within" ? "within" : referencePosition} that range.`,
  );
  b.add(
    "RMSSD is highly individual and depends on the device and measurement conditions, so it is best compared with the person's own baseline rather than with other people.",
  );
  b.paragraph();
  if (trend["available"] === true) {
    const status = trend["status"] as string;
    b.add(
      `Across ${b.int(nights.length)} nights, the ${b.int(ROLLING_NIGHTS)}-night rolling mean of ln RMSSD was ${b.num(trend["rolling_mean_ln_rmssd"] as number, 3)}, ${status === "within_baseline" ? "within" : status === "above_baseline" ? "above" : "below"} the personal baseline band of ${b.num(trend["baseline_lower_ln_rmssd"] as number, 3)} to ${b.num(trend["baseline_upper_ln_rmssd"] as number, 3)} (baseline mean ± ${b.num(BASELINE_BAND_SD, 1)} SD over ${b.int(trend["baseline_nights"] as number)} nights).`,
    );
    if (status !== "within_baseline") {
      b.add("Short-term shifts in HRV have many everyday causes, such as sleep, training, illness or alcohol, and on their own are not a diagnosis.");
    }
  } else {
    b.add(
      `A trend needs at least ${b.int(TREND_MIN_NIGHTS)} nights; this file covers ${b.int(nights.length)} ${nights.length === 1 ? "night" : "nights"}, so no change over time is described.`,
    );
  }
  return { kind: "narrative", narrative: b.build(insights), insights, recordsProcessed: n };
}
