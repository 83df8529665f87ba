import type {
  ActiveCaloriesBurnedRecord,
  ClinicalInsights,
  ClinicalProcessor,
  HealthDataMessage,
  JsonValue,
  ProcessingResult,
  ValidationResult,
} from "@narrative-engine/contracts";
import {
  NarrativeBuilder,
  dailyTotalsOneSource,
  deduplicateById,
  localDateTimeLabel,
  localWeekday,
  mean,
  round1,
  sourceChoiceSentence,
  sourceLabel,
  summarizeOffsets,
  timedResult,
  type AnalysisOutcome,
  type ResolvedOffset,
} from "./toolkit/index.ts";
import { zoneOffsetResolver } from "./toolkit/zone-offset.ts";

/** Version of the active-calories processor, written to training metadata. */
export const ACTIVE_CALORIES_PROCESSOR_VERSION = "1.0.0";

const HOUR = 3_600_000;
/** A record above this many "kcal" cannot be kilocalories (the validation ceiling per record). */
const LEGACY_MAX_KCAL = 10_000;
/** A record implying more than this many kcal per hour cannot be kilocalories (elite athletes sustain about 1,200). */
const LEGACY_MAX_KCAL_PER_HOUR = 2_000;
const DAYS_PER_WEEK = 7;

/**
 * True when a record's energy is in small calories rather than kilocalories (legacy writers):
 * more than 10,000 "kcal" in one record, or, for an interval of at least one minute, more than
 * 2,000 "kcal" per hour (both rounded to 0.1 first). Such values are divided by 1,000.
 */
export function isLegacyCalories(energy: number, durationMs: number): boolean {
  if (round1(energy) > LEGACY_MAX_KCAL) return true;
  return durationMs >= 60_000 && round1(energy / (durationMs / HOUR)) > LEGACY_MAX_KCAL_PER_HOUR;
}

/** Kilocalories of a record, converting legacy small-calorie values (see {@link isLegacyCalories}). */
export function kilocaloriesOf(record: ActiveCaloriesBurnedRecord): { readonly kcal: number; readonly converted: boolean } {
  const energy = record.energyInKilocalories;
  const converted = isLegacyCalories(energy, record.endTimeEpochMillis - record.startTimeEpochMillis);
  return { kcal: converted ? energy / 1000 : energy, converted };
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Active-calories analysis of one file's records: de-duplication by id, legacy calorie
 * conversion, local-day totals with one source per day, partial-day flags and weekly totals
 * over complete 7-day blocks. Values are wearable estimates and are worded so.
 */
export function analyzeActiveCalories(
  records: readonly ActiveCaloriesBurnedRecord[],
  healthMetadata: Readonly<Record<string, unknown>> | undefined,
): AnalysisOutcome {
  const dedup = deduplicateById(records);
  const valid = dedup.records.filter(
    (r) => Number.isFinite(r.energyInKilocalories) && r.energyInKilocalories >= 0 && r.endTimeEpochMillis >= r.startTimeEpochMillis,
  );
  const offsetOf = zoneOffsetResolver(healthMetadata);
  const offsets = valid.map((r) => offsetOf(r.startZoneOffsetId));
  let converted = 0;
  const amounts = valid.map((r, i) => {
    const energy = kilocaloriesOf(r);
    if (energy.converted) converted += 1;
    return {
      startMs: r.startTimeEpochMillis,
      endMs: r.endTimeEpochMillis,
      value: energy.kcal,
      source: r.metadata.dataOriginPackageName,
      lastModifiedMs: r.metadata.lastModifiedTimeEpochMillis,
      offsetMinutes: (offsets[i] as ResolvedOffset).offsetMinutes,
    };
  });
  const days = dailyTotalsOneSource(amounts);
  const base: Record<string, JsonValue> = {
    records_received: records.length,
    duplicate_records_removed: dedup.duplicatesRemoved,
    invalid_records_excluded: dedup.records.length - valid.length,
  };
  if (days.length === 0) {
    return { kind: "insufficient", reason: "no active-calories records to describe", insights: { ...base, days: [] }, recordsProcessed: 0 };
  }

  const dayInsights = days.map((d) => ({
    date: d.day,
    weekday: localWeekday(d.bounds.startMs, d.offsetMinutes),
    kcal: round1(d.chosen.total),
    source: sourceLabel(d.chosen.source),
    sources: d.sources.map((s) => ({ source: sourceLabel(s.source), kcal: round1(s.total) })),
    partial: d.partial,
    last_modified_local: localDateTimeLabel(d.lastModifiedMs, d.offsetMinutes),
    offsetMinutes: d.offsetMinutes,
  }));
  const byDate = new Map(dayInsights.map((d) => [d.date, d]));
  const complete = dayInsights.filter((d) => !d.partial);
  const meanKcal = complete.length === 0 ? null : round1(mean(complete.map((d) => d.kcal)));

  // Weekly totals: consecutive 7-day blocks from the first day; a block is totalled only when
  // all seven days have data and none is partial.
  const weeks: Record<string, JsonValue>[] = [];
  const firstDay = dayInsights[0];
  const lastDay = dayInsights[dayInsights.length - 1];
  if (firstDay !== undefined && lastDay !== undefined && dayInsights.length >= DAYS_PER_WEEK) {
    for (let start = firstDay.date; start <= lastDay.date; start = addDays(start, DAYS_PER_WEEK)) {
      const dates = Array.from({ length: DAYS_PER_WEEK }, (_, i) => addDays(start, i));
      const present = dates.map((d) => byDate.get(d)).filter((d) => d !== undefined);
      const completeWeek = present.length === DAYS_PER_WEEK && present.every((d) => !d.partial);
      weeks.push({
        week_start: start,
        week_end: dates[DAYS_PER_WEEK - 1] ?? start,
        days_with_data: present.length,
        complete: completeWeek,
        total_kcal: completeWeek ? round1(present.reduce((sum, d) => sum + d.kcal, 0)) : null,
      });
    }
  }
  const completeWeeks = weeks.filter((w) => w["complete"] === true);

  const recordsUsed = valid.length;
  const insights: ClinicalInsights = {
    ...base,
    records_used: recordsUsed,
    legacy_calorie_records_converted: converted,
    legacy_rule: "a record over 10,000 kcal, or over 2,000 kcal per hour for an interval of at least 1 minute, is taken as small calories and divided by 1,000",
    ...summarizeOffsets(offsets),
    day_count: dayInsights.length,
    complete_day_count: complete.length,
    partial_day_count: dayInsights.length - complete.length,
    days: dayInsights.map(({ offsetMinutes: _o, ...rest }) => rest),
    mean_daily_kcal_complete_days: meanKcal,
    weekly_totals: weeks,
    weekly_total_min_days: DAYS_PER_WEEK,
    weekly_rule: "consecutive 7-day blocks from the first day, totalled only when all seven days are present and complete",
    source_rule: "one source per local day, the larger total; sources are never summed",
    partial_rule: "a day is partial when its data were last modified before the local day ended",
    estimate_note: "active energy from phones and wearables is an estimate",
  };

  const b = new NarrativeBuilder();
  const offsetText = (insights["utc_offsets_used"] as string[]).join(", ");
  b.add(
    dayInsights.length === 1 && firstDay !== undefined
      ? `Active energy (calories burned through activity, as estimated by the wearable or phone) for ${firstDay.weekday} ${b.literal(firstDay.date)} (local day, UTC offset ${b.literal(offsetText)}), from ${b.int(recordsUsed)} ${recordsUsed === 1 ? "record" : "records"}.`
      : `Active energy (calories burned through activity, as estimated by wearables or phones) for ${b.int(dayInsights.length)} local days from ${b.literal(firstDay?.date ?? "")} to ${b.literal(lastDay?.date ?? "")} (UTC offset ${b.literal(offsetText)}), from ${b.int(recordsUsed)} records.`,
  );
  if (dedup.duplicatesRemoved > 0) b.add(`${b.int(dedup.duplicatesRemoved)} repeated ${dedup.duplicatesRemoved === 1 ? "record was" : "records were"} counted once.`);
  if (converted > 0) {
    b.add(`${b.int(converted)} ${converted === 1 ? "record was" : "records were"} written in calories rather than kilocalories and ${converted === 1 ? "was" : "were"} divided by ${b.literal("1,000")}.`);
  }
  const detailed = dayInsights.length <= 7 ? dayInsights : dayInsights.filter((d) => d.partial || d.sources.length > 1).slice(-3);
  for (const d of detailed) {
    b.paragraph();
    const choice = sourceChoiceSentence(
      d.sources.map((s) => ({ source: s.source, value: s.kcal })),
      (v) => b.num(v, 1),
      "kcal",
    );
    const head = `${d.weekday} ${b.literal(d.date)}: an estimated ${b.num(d.kcal, 1)} kcal of active energy (${d.source}).`;
    const status = d.partial
      ? `The day was still in progress when its data were last updated (${b.literal(d.last_modified_local)}), so this total is partial.`
      : "";
    b.add(head, choice, status);
  }
  b.paragraph();
  if (meanKcal === null) {
    b.add("There is no complete day in this file, so no daily average is given.");
  } else if (complete.length > 1) {
    b.add(`Across ${b.int(complete.length)} complete days the estimated active energy averaged ${b.num(meanKcal, 1)} kcal a day.`);
  }
  if (dayInsights.length < DAYS_PER_WEEK) {
    b.add(`A weekly total needs at least ${b.int(DAYS_PER_WEEK)} days; this file has ${b.int(dayInsights.length)}.`);
  } else if (completeWeeks.length === 0) {
    b.add(`No 7-day block from ${b.literal(firstDay?.date ?? "")} has all seven complete days, so no weekly total is given.`);
  } else {
    const texts = completeWeeks.map((w) => `${b.num(w["total_kcal"] as number, 1)} kcal for ${b.literal(w["week_start"] as string)} to ${b.literal(w["week_end"] as string)}`);
    b.add(`Weekly totals (complete 7-day blocks only): ${texts.join("; ")}.`);
    const incomplete = weeks.length - completeWeeks.length;
    if (incomplete > 0) b.add(`${b.int(incomplete)} later ${incomplete === 1 ? "block is" : "blocks are"} incomplete and not totalled.`);
  }
  b.add("These are device estimates of energy spent in activity, not measurements, and they differ between devices.");
  const narrative = b.build(insights);
  return { kind: "narrative", narrative, insights, recordsProcessed: recordsUsed };
}

/** The active-calories processor (clinical.md §3). */
export class ActiveCaloriesProcessor implements ClinicalProcessor<"ActiveCaloriesBurnedRecord"> {
  readonly recordType = "ActiveCaloriesBurnedRecord" as const;
  readonly version = ACTIVE_CALORIES_PROCESSOR_VERSION;

  /** Nothing to prepare; safe to call twice. */
  initialize(): Promise<void> {
    return Promise.resolve();
  }

  /** Analyses one file's active-calories records. */
  processWithClinicalInsights(
    records: readonly ActiveCaloriesBurnedRecord[],
    message: HealthDataMessage,
    validation: ValidationResult,
  ): Promise<ProcessingResult> {
    return Promise.resolve(timedResult(validation, () => analyzeActiveCalories(records, message.healthMetadata)));
  }

  /** Nothing to release; safe to call twice. */
  cleanup(): Promise<void> {
    return Promise.resolve();
  }
}
