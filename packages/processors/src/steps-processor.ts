import type {
  ClinicalInsights,
  ClinicalProcessor,
  HealthDataMessage,
  JsonValue,
  ProcessingResult,
  StepsRecord,
  ValidationResult,
} from "@narrative-engine/contracts";
import {
  NarrativeBuilder,
  dailyTotalsOneSource,
  deduplicateById,
  localDateTimeLabel,
  localWeekday,
  mean,
  round0,
  sourceChoiceSentence,
  sourceLabel,
  summarizeOffsets,
  timedResult,
  type AnalysisOutcome,
  type ResolvedOffset,
} from "./toolkit/index.ts";
import { zoneOffsetResolver } from "./toolkit/zone-offset.ts";

/** Version of the steps processor, written to training metadata. */
export const STEPS_PROCESSOR_VERSION = "1.0.0";

/** Steps categories of Tudor-Locke et al. (2008/2011), lowest first. */
export const STEPS_CATEGORIES = ["sedentary", "low active", "somewhat active", "active", "highly active"] as const;

/** One of {@link STEPS_CATEGORIES}. */
export type StepsCategory = (typeof STEPS_CATEGORIES)[number];

const TUDOR_LOCKE_REFERENCE =
  "Tudor-Locke: below 5,000 sedentary; 5,000-7,499 low active; 7,500-9,999 somewhat active; 10,000 or more active; 12,500 or more highly active";

/** Tudor-Locke category of a daily step count (rounded to a whole step first). */
export function tudorLockeCategory(steps: number): StepsCategory {
  const v = round0(steps);
  if (v < 5000) return "sedentary";
  if (v < 7500) return "low active";
  if (v < 10000) return "somewhat active";
  if (v < 12500) return "active";
  return "highly active";
}

/**
 * Steps analysis of one file's records: de-duplication by id, local-day totals from each
 * record's interval with one source per day (the larger; never the sum), partial-day flags and
 * Tudor-Locke categories for complete days.
 */
export function analyzeSteps(records: readonly StepsRecord[], healthMetadata: Readonly<Record<string, unknown>> | undefined): AnalysisOutcome {
  const dedup = deduplicateById(records);
  const valid = dedup.records.filter((r) => Number.isFinite(r.count) && r.count >= 0 && r.endTimeEpochMillis >= r.startTimeEpochMillis);
  const offsetOf = zoneOffsetResolver(healthMetadata);
  const offsets = valid.map((r) => offsetOf(r.startZoneOffsetId));
  const days = dailyTotalsOneSource(
    valid.map((r, i) => ({
      startMs: r.startTimeEpochMillis,
      endMs: r.endTimeEpochMillis,
      value: r.count,
      source: r.metadata.dataOriginPackageName,
      lastModifiedMs: r.metadata.lastModifiedTimeEpochMillis,
      offsetMinutes: (offsets[i] as ResolvedOffset).offsetMinutes,
    })),
  );
  const base: Record<string, JsonValue> = {
    records_received: records.length,
    duplicate_records_removed: dedup.duplicatesRemoved,
    invalid_records_excluded: dedup.records.length - valid.length,
  };
  if (days.length === 0) {
    return { kind: "insufficient", reason: "no step records to describe", insights: { ...base, days: [] }, recordsProcessed: 0 };
  }

  const dayInsights = days.map((d) => {
    const steps = round0(d.chosen.total);
    return {
      date: d.day,
      weekday: localWeekday(d.bounds.startMs, d.offsetMinutes),
      steps,
      source: sourceLabel(d.chosen.source),
      sources: d.sources.map((s) => ({ source: sourceLabel(s.source), steps: round0(s.total) })),
      partial: d.partial,
      last_modified_local: localDateTimeLabel(d.lastModifiedMs, d.offsetMinutes),
      category: d.partial ? null : tudorLockeCategory(steps),
    };
  });
  const complete = dayInsights.filter((d) => !d.partial);
  const meanSteps = complete.length === 0 ? null : round0(mean(complete.map((d) => d.steps)));
  const categoryCounts: Partial<Record<StepsCategory, number>> = {};
  for (const d of complete) if (d.category !== null) categoryCounts[d.category] = (categoryCounts[d.category] ?? 0) + 1;
  const recordsUsed = valid.length;
  const insights: ClinicalInsights = {
    ...base,
    records_used: recordsUsed,
    ...summarizeOffsets(offsets),
    day_count: dayInsights.length,
    complete_day_count: complete.length,
    partial_day_count: dayInsights.length - complete.length,
    days: dayInsights,
    mean_daily_steps_complete_days: meanSteps,
    mean_category: meanSteps === null ? null : tudorLockeCategory(meanSteps),
    complete_days_by_category: categoryCounts,
    source_rule: "one source per local day, the larger total; sources are never summed",
    partial_rule: "a day is partial when its data were last modified before the local day ended",
    category_reference: TUDOR_LOCKE_REFERENCE,
  };

  const b = new NarrativeBuilder();
  const offsetText = (insights["utc_offsets_used"] as string[]).join(", ");
  const first = dayInsights[0];
  const last = dayInsights[dayInsights.length - 1];
  b.add(
    dayInsights.length === 1 && first !== undefined
      ? `Step counts for ${first.weekday} ${b.literal(first.date)} (local day, UTC offset ${b.literal(offsetText)}), from ${b.int(recordsUsed)} ${recordsUsed === 1 ? "record" : "records"}.`
      : `Step counts for ${b.int(dayInsights.length)} local days from ${b.literal(first?.date ?? "")} to ${b.literal(last?.date ?? "")} (UTC offset ${b.literal(offsetText)}), from ${b.int(recordsUsed)} records.`,
  );
  if (dedup.duplicatesRemoved > 0) b.add(`${b.int(dedup.duplicatesRemoved)} repeated ${dedup.duplicatesRemoved === 1 ? "record was" : "records were"} counted once.`);
  const detailed = dayInsights.length <= 7 ? dayInsights : dayInsights.filter((d) => d.partial || d.sources.length > 1).slice(-3);
  for (const d of detailed) {
    b.paragraph();
    const choice = sourceChoiceSentence(
      d.sources.map((s) => ({ source: s.source, value: s.steps })),
      (v) => b.int(v),
      "steps",
    );
    const head = `${d.weekday} ${b.literal(d.date)}: ${b.int(d.steps)} steps (${d.source}).`;
    const status = d.partial
      ? `The day was still in progress when its data were last updated (${b.literal(d.last_modified_local)}), so this total is partial and is not placed in an activity category.`
      : `That is in the Tudor-Locke "${d.category ?? ""}" range.`;
    b.add(head, choice, status);
  }
  if (dayInsights.length > 7) {
    b.paragraph();
    b.add("Only days with several sources or a partial total are described one by one; every day's figure is in the insights.");
  }
  b.paragraph();
  if (meanSteps === null) {
    b.add("There is no complete day in this file, so no daily average or activity category is given.");
  } else if (complete.length === 1) {
    b.add(`Only one complete day is available, so there is no daily average across days.`);
  } else {
    const counts = STEPS_CATEGORIES.filter((cat) => (categoryCounts[cat] ?? 0) > 0).map((cat) => `${b.int(categoryCounts[cat] ?? 0)} ${cat}`);
    b.add(
      `Across ${b.int(complete.length)} complete days the mean was ${b.int(meanSteps)} steps a day, in the Tudor-Locke "${tudorLockeCategory(meanSteps)}" range (days by category: ${counts.join(", ")}).`,
    );
  }
  b.add(
    `Categories (Tudor-Locke): below ${b.literal("5,000")} sedentary, ${b.literal("5,000-7,499")} low active, ${b.literal("7,500-9,999")} somewhat active, ${b.literal("10,000")} or more active, ${b.literal("12,500")} or more highly active. Step counts from phones and wearables are estimates.`,
  );
  const narrative = b.build(insights);
  return { kind: "narrative", narrative, insights, recordsProcessed: recordsUsed };
}

/** The steps processor (clinical.md §3). */
export class StepsProcessor implements ClinicalProcessor<"StepsRecord"> {
  readonly recordType = "StepsRecord" as const;
  readonly version = STEPS_PROCESSOR_VERSION;

  /** Nothing to prepare; safe to call twice. */
  initialize(): Promise<void> {
    return Promise.resolve();
  }

  /** Analyses one file's step records. */
  processWithClinicalInsights(records: readonly StepsRecord[], message: HealthDataMessage, validation: ValidationResult): Promise<ProcessingResult> {
    return Promise.resolve(timedResult(validation, () => analyzeSteps(records, message.healthMetadata)));
  }

  /** Nothing to release; safe to call twice. */
  cleanup(): Promise<void> {
    return Promise.resolve();
  }
}
