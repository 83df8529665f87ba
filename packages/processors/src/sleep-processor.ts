import type {
  ClinicalInsights,
  ClinicalProcessor,
  HealthDataMessage,
  JsonValue,
  ProcessingResult,
  SleepSessionRecord,
  SleepStageType,
  ValidationResult,
} from "@narrative-engine/contracts";
import {
  NarrativeBuilder,
  ageFromMetadata,
  clusterOverlapping,
  deduplicateById,
  mean,
  round1,
  sampleStandardDeviation,
  sourceLabel,
  summarizeOffsets,
  timedResult,
  toLocalDateTime,
  type AnalysisOutcome,
  type ResolvedOffset,
} from "./toolkit/index.ts";
import { zoneOffsetResolver } from "./toolkit/zone-offset.ts";

/** Version of the sleep processor, written to training metadata. */
export const SLEEP_PROCESSOR_VERSION = "1.0.0";

const MINUTE = 60_000;
/** A session shorter than this that starts in the daytime is a nap. */
const NAP_MAX_MINUTES = 180;
/** Daytime for nap classification: sessions starting from 09:00 to 20:59 local. */
const DAYTIME_START_HOUR = 9;
const DAYTIME_END_HOUR = 21;
/** Nights needed before bedtime and duration variability are given. */
const MIN_NIGHTS_FOR_VARIABILITY = 7;
const ASLEEP: ReadonlySet<SleepStageType> = new Set(["LIGHT", "DEEP", "REM", "SLEEPING"]);
const AWAKE: ReadonlySet<SleepStageType> = new Set(["AWAKE", "OUT_OF_BED"]);

const AASM_REFERENCE = "AASM/SRS: adults need 7 h or more of sleep per night";
const EFFICIENCY_REFERENCE = "sleep efficiency of 85% or more is considered good";
const DEEP_REFERENCE = "deep (N3) sleep typically 13-23% of total sleep time";
const REM_REFERENCE = "REM sleep typically 20-25% of total sleep time";

/** How a value compares with a reference range. */
export type RangePosition = "below" | "within" | "above";

/** Position of `value` (rounded to 0.1 first) against the inclusive range `[low, high]`. */
export function positionInRange(value: number, low: number, high: number): RangePosition {
  const v = round1(value);
  if (v < low) return "below";
  if (v > high) return "above";
  return "within";
}

/** NSF recommended sleep range for an age (hours), or undefined for under-18s (adult ranges do not apply). */
export function nsfRange(age: number | undefined): { readonly low: number; readonly high: number; readonly group: string } | undefined {
  if (age === undefined || (age >= 18 && age <= 64)) return { low: 7, high: 9, group: "adults aged 18-64" };
  if (age >= 65) return { low: 7, high: 8, group: "adults aged 65 and over" };
  return undefined;
}

/** True when a session is a nap: shorter than 3 h and starting 09:00–20:59 local. */
export function isNap(durationMinutes: number, localStartHour: number): boolean {
  return round1(durationMinutes) < NAP_MAX_MINUTES && localStartHour >= DAYTIME_START_HOUR && localStartHour < DAYTIME_END_HOUR;
}

interface Session {
  readonly record: SleepSessionRecord;
  readonly offset: ResolvedOffset;
  readonly startMs: number;
  readonly endMs: number;
  readonly source: string;
  readonly inBedMinutes: number;
  readonly staged: boolean;
  readonly nap: boolean;
}

/** Figures of one session computed from its stages. */
interface SessionFigures {
  readonly timeInBedMinutes: number;
  readonly totalSleepMinutes: number | null;
  readonly efficiencyPercent: number | null;
  readonly latencyMinutes: number | null;
  readonly wasoMinutes: number | null;
  readonly awakeMinutes: number;
  readonly stageMinutes: Readonly<Record<"light" | "deep" | "rem" | "sleeping_unspecified", number>>;
  readonly detailedStages: boolean;
}

/** Stage types in a fixed order, for per-stage sums in an array rather than an object keyed by stage name. */
const STAGE_ORDER: readonly SleepStageType[] = ["UNKNOWN", "AWAKE", "SLEEPING", "OUT_OF_BED", "LIGHT", "DEEP", "REM"];
const STAGE_INDEX: ReadonlyMap<SleepStageType, number> = new Map(STAGE_ORDER.map((stage, i) => [stage, i]));
const SLEEPING = STAGE_ORDER.indexOf("SLEEPING");
const LIGHT = STAGE_ORDER.indexOf("LIGHT");
const DEEP = STAGE_ORDER.indexOf("DEEP");
const REM = STAGE_ORDER.indexOf("REM");

interface ClippedStage {
  readonly start: number;
  readonly end: number;
  readonly stage: SleepStageType;
}

/** The session's stages clipped to it, empty ones dropped, in start order (stable). */
function clippedStages(s: Session): ClippedStage[] {
  const stages: ClippedStage[] = [];
  let ordered = true;
  for (const st of s.record.stages) {
    const clipped = { start: Math.max(st.startTimeEpochMillis, s.startMs), end: Math.min(st.endTimeEpochMillis, s.endMs), stage: st.stage };
    if (!(clipped.end > clipped.start)) continue;
    const previous = stages[stages.length - 1];
    if (previous !== undefined && !(previous.start <= clipped.start)) ordered = false;
    stages.push(clipped);
  }
  // perf: stages are written in order; a stable sort of ordered stages changes nothing.
  return ordered ? stages : stages.sort((a, b) => a.start - b.start);
}

function figuresOf(s: Session): SessionFigures {
  const stages = clippedStages(s);
  // One pass, sums in stage order as before: minutes per stage type, awake minutes (awake and
  // out of bed, added in order), the first sleep stage and the end of the last one.
  const minutes = [0, 0, 0, 0, 0, 0, 0];
  let awakeSum = 0;
  let onset: ClippedStage | undefined;
  let finalWake = Number.NEGATIVE_INFINITY;
  for (const st of stages) {
    const index = STAGE_INDEX.get(st.stage);
    if (index !== undefined) minutes[index] = minutes[index]! + (st.end - st.start) / MINUTE;
    if (AWAKE.has(st.stage)) awakeSum += (st.end - st.start) / MINUTE;
    if (ASLEEP.has(st.stage)) {
      onset ??= st;
      finalWake = Math.max(finalWake, st.end);
    }
  }
  const light = minutes[LIGHT]!;
  const deep = minutes[DEEP]!;
  const rem = minutes[REM]!;
  const sleeping = minutes[SLEEPING]!;
  const stageMinutes = {
    light: round1(light),
    deep: round1(deep),
    rem: round1(rem),
    sleeping_unspecified: round1(sleeping),
  };
  const awakeMinutes = round1(awakeSum);
  const tib = round1(s.inBedMinutes);
  if (onset === undefined) {
    return { timeInBedMinutes: tib, totalSleepMinutes: null, efficiencyPercent: null, latencyMinutes: null, wasoMinutes: null, awakeMinutes, stageMinutes, detailedStages: false };
  }
  const tstRaw = light + deep + rem + sleeping;
  return {
    timeInBedMinutes: tib,
    totalSleepMinutes: round1(tstRaw),
    efficiencyPercent: tib > 0 ? round1((100 * tstRaw) / s.inBedMinutes) : null,
    latencyMinutes: round1((onset.start - s.startMs) / MINUTE),
    // Wake after sleep onset: everything between onset and final awakening that is not sleep.
    wasoMinutes: round1(Math.max(0, (finalWake - onset.start) / MINUTE - tstRaw)),
    awakeMinutes,
    stageMinutes,
    detailedStages: light + deep + rem > 0,
  };
}

const clockOf = (t: number, o: ResolvedOffset): string => toLocalDateTime(t, o.offsetMinutes).clock;
const dateOf = (t: number, o: ResolvedOffset): string => toLocalDateTime(t, o.offsetMinutes).date;

/** Minutes after local noon of an instant (so 23:00 → 660 and 01:00 → 780 sit side by side). */
function minutesAfterNoon(t: number, o: ResolvedOffset): number {
  const { hour, minute } = toLocalDateTime(t, o.offsetMinutes);
  return (hour * 60 + minute - 720 + 1440) % 1440;
}

function clockFromMinutesAfterNoon(m: number): string {
  const total = (Math.round(m) + 720) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

function hoursAndMinutes(totalMinutes: number): string {
  const whole = Math.round(totalMinutes);
  return `${Math.floor(whole / 60)} h ${whole % 60} min`;
}

/**
 * Sleep analysis of one file's sessions: de-duplication by id, naps apart from nights,
 * overlapping sessions from different sources merged into one night computed from the staged
 * (then longer) session, per-night figures, guideline comparisons and multi-night variability.
 */
export function analyzeSleep(
  records: readonly SleepSessionRecord[],
  healthMetadata: Readonly<Record<string, unknown>> | undefined,
): AnalysisOutcome {
  const dedup = deduplicateById(records);
  const offsetOf = zoneOffsetResolver(healthMetadata);
  const sessions: Session[] = dedup.records
    .filter((r) => r.endTimeEpochMillis > r.startTimeEpochMillis)
    .map((r) => {
      const offset = offsetOf(r.startZoneOffsetId);
      const inBedMinutes = (r.endTimeEpochMillis - r.startTimeEpochMillis) / MINUTE;
      return {
        record: r,
        offset,
        startMs: r.startTimeEpochMillis,
        endMs: r.endTimeEpochMillis,
        source: r.metadata.dataOriginPackageName,
        inBedMinutes,
        staged: r.stages.some((st) => ASLEEP.has(st.stage)),
        nap: isNap(inBedMinutes, toLocalDateTime(r.startTimeEpochMillis, offset.offsetMinutes).hour),
      };
    });
  const base: Record<string, JsonValue> = {
    records_received: records.length,
    duplicate_records_removed: dedup.duplicatesRemoved,
    sessions_without_duration: dedup.records.length - sessions.length,
  };
  if (sessions.length === 0) {
    return { kind: "insufficient", reason: "no sleep sessions with a positive duration to describe", insights: { ...base, nights: [], naps: [] }, recordsProcessed: 0 };
  }

  const age = ageFromMetadata(healthMetadata);
  const nsf = nsfRange(age);
  const nightClusters = clusterOverlapping(
    sessions.filter((s) => !s.nap),
    (s) => ({ startMs: s.startMs, endMs: s.endMs }),
  );
  const nights = nightClusters.map((cluster) => {
    // Compute from the session with sleep stages, then the longer one; ties by package name.
    const primary = [...cluster].sort(
      (a, b) => Number(b.staged) - Number(a.staged) || b.inBedMinutes - a.inBedMinutes || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || a.startMs - b.startMs,
    )[0] as Session;
    const f = figuresOf(primary);
    const o = primary.offset;
    const tstHours = f.totalSleepMinutes === null ? null : round1(f.totalSleepMinutes / 60);
    const durationForGuideline = f.totalSleepMinutes ?? f.timeInBedMinutes;
    const others = cluster.filter((s) => s !== primary).map((s) => {
      const of = figuresOf(s);
      return {
        source: sourceLabel(s.source),
        bedtime_local: clockOf(s.startMs, s.offset),
        wake_time_local: clockOf(s.endMs, s.offset),
        time_in_bed_minutes: of.timeInBedMinutes,
        total_sleep_minutes: of.totalSleepMinutes,
      };
    });
    const deepPct = f.totalSleepMinutes !== null && f.detailedStages && f.totalSleepMinutes > 0 ? round1((100 * f.stageMinutes.deep) / f.totalSleepMinutes) : null;
    const remPct = f.totalSleepMinutes !== null && f.detailedStages && f.totalSleepMinutes > 0 ? round1((100 * f.stageMinutes.rem) / f.totalSleepMinutes) : null;
    const lightPct = f.totalSleepMinutes !== null && f.detailedStages && f.totalSleepMinutes > 0 ? round1((100 * f.stageMinutes.light) / f.totalSleepMinutes) : null;
    return {
      primary,
      figures: f,
      insight: {
        night_ending: dateOf(primary.endMs, o),
        weekday_of_wake: toLocalDateTime(primary.endMs, o.offsetMinutes).weekday,
        source: sourceLabel(primary.source),
        sources: [...new Set(cluster.map((s) => sourceLabel(s.source)))].sort(),
        other_recordings: others,
        bedtime_local: clockOf(primary.startMs, o),
        wake_time_local: clockOf(primary.endMs, o),
        bedtime_minutes_after_noon: minutesAfterNoon(primary.startMs, o),
        utc_offset: o.offsetId,
        has_sleep_stages: f.totalSleepMinutes !== null,
        time_in_bed_minutes: f.timeInBedMinutes,
        total_sleep_minutes: f.totalSleepMinutes,
        total_sleep_hours: tstHours,
        total_sleep_text: f.totalSleepMinutes === null ? null : hoursAndMinutes(f.totalSleepMinutes),
        time_in_bed_text: hoursAndMinutes(f.timeInBedMinutes),
        sleep_efficiency_percent: f.efficiencyPercent,
        efficiency_good: f.efficiencyPercent === null ? null : f.efficiencyPercent >= 85,
        sleep_latency_minutes: f.latencyMinutes,
        waso_minutes: f.wasoMinutes,
        awake_minutes: f.awakeMinutes,
        stage_minutes: f.totalSleepMinutes === null ? null : f.stageMinutes,
        deep_percent_of_sleep: deepPct,
        rem_percent_of_sleep: remPct,
        light_percent_of_sleep: lightPct,
        deep_vs_reference: deepPct === null ? null : positionInRange(deepPct, 13, 23),
        rem_vs_reference: remPct === null ? null : positionInRange(remPct, 20, 25),
        duration_basis: f.totalSleepMinutes === null ? "time_in_bed" : "total_sleep_time",
        meets_aasm_7h: round1(durationForGuideline) >= 420,
        nsf_position: nsf === undefined ? null : positionInRange(durationForGuideline, nsf.low * 60, nsf.high * 60),
      },
    };
  });
  const naps = sessions
    .filter((s) => s.nap)
    .sort((a, b) => a.startMs - b.startMs)
    .map((s) => {
      const f = figuresOf(s);
      return {
        date: dateOf(s.startMs, s.offset),
        start_local: clockOf(s.startMs, s.offset),
        end_local: clockOf(s.endMs, s.offset),
        duration_minutes: f.timeInBedMinutes,
        duration_hours: round1(f.timeInBedMinutes / 60),
        total_sleep_minutes: f.totalSleepMinutes,
        source: sourceLabel(s.source),
      };
    });

  // Multi-night figures.
  const staged = nights.filter((n) => n.figures.totalSleepMinutes !== null);
  const useTst = staged.length >= MIN_NIGHTS_FOR_VARIABILITY;
  const durations = useTst ? staged.map((n) => n.figures.totalSleepMinutes ?? 0) : nights.map((n) => n.figures.timeInBedMinutes);
  const bedtimes = nights.map((n) => n.insight.bedtime_minutes_after_noon);
  let variability: Record<string, JsonValue> | null = null;
  if (nights.length >= MIN_NIGHTS_FOR_VARIABILITY) {
    variability = {
      nights: nights.length,
      duration_basis: useTst ? "total_sleep_time" : "time_in_bed",
      duration_mean_minutes: round1(mean(durations)),
      duration_sd_minutes: round1(sampleStandardDeviation(durations) ?? 0),
      duration_range_minutes: [round1(Math.min(...durations)), round1(Math.max(...durations))],
      bedtime_mean_local: clockFromMinutesAfterNoon(mean(bedtimes)),
      bedtime_sd_minutes: round1(sampleStandardDeviation(bedtimes) ?? 0),
    };
  }
  const meanOf = (values: readonly (number | null)[]): number | null => {
    const present = values.filter((v): v is number => v !== null);
    return present.length === 0 ? null : round1(mean(present));
  };
  const summary =
    nights.length > 1
      ? {
          nights: nights.length,
          staged_nights: staged.length,
          mean_total_sleep_minutes: meanOf(nights.map((n) => n.figures.totalSleepMinutes)),
          mean_time_in_bed_minutes: meanOf(nights.map((n) => n.figures.timeInBedMinutes)),
          mean_efficiency_percent: meanOf(nights.map((n) => n.figures.efficiencyPercent)),
          mean_deep_percent: meanOf(nights.map((n) => n.insight.deep_percent_of_sleep)),
          mean_rem_percent: meanOf(nights.map((n) => n.insight.rem_percent_of_sleep)),
          nights_meeting_7h: nights.filter((n) => n.insight.meets_aasm_7h).length,
        }
      : null;

  const allOffsets = summarizeOffsets(sessions.map((s) => s.offset));
  const insights: ClinicalInsights = {
    ...base,
    sessions_used: sessions.length,
    night_count: nights.length,
    nap_count: naps.length,
    nap_rule: "a session under 3 h starting 09:00-20:59 local is a nap and is kept out of nightly figures",
    merge_rule: "overlapping sessions from different sources are one night, computed from the session with sleep stages, then the longer one",
    ...allOffsets,
    nights: nights.map((n) => n.insight),
    naps,
    summary,
    variability,
    variability_min_nights: MIN_NIGHTS_FOR_VARIABILITY,
    age_years: age ?? null,
    references: {
      aasm_srs: AASM_REFERENCE,
      nsf: nsf === undefined ? "NSF adult ranges do not apply under 18" : `NSF: ${nsf.low}-${nsf.high} h for ${nsf.group}`,
      efficiency: EFFICIENCY_REFERENCE,
      deep: DEEP_REFERENCE,
      rem: REM_REFERENCE,
    },
  };

  const b = new NarrativeBuilder();
  const offsetsText = allOffsets.utc_offsets_used.join(", ");
  b.add(
    `This file holds ${b.int(sessions.length)} sleep ${sessions.length === 1 ? "session" : "sessions"}: ${b.int(nights.length)} ${nights.length === 1 ? "night" : "nights"} and ${b.int(naps.length)} ${naps.length === 1 ? "nap" : "naps"} (times are local, UTC offset ${b.literal(offsetsText)}).`,
  );
  if (dedup.duplicatesRemoved > 0) b.add(`${b.int(dedup.duplicatesRemoved)} repeated ${dedup.duplicatesRemoved === 1 ? "session was" : "sessions were"} counted once.`);
  const detailed = nights.length <= 3 ? nights : [];
  for (const n of detailed) {
    const i = n.insight;
    const f = n.figures;
    b.paragraph();
    b.add(
      `Night ending ${i.weekday_of_wake} ${b.literal(i.night_ending)}: in bed from ${b.literal(i.bedtime_local)} to ${b.literal(i.wake_time_local)}, ${b.literal(i.time_in_bed_text)} (${b.num(f.timeInBedMinutes, 1)} min), recorded by ${i.source}.`,
    );
    for (const other of i.other_recordings) {
      b.add(
        `${other.source} recorded the same night (${b.literal(other.bedtime_local)} to ${b.literal(other.wake_time_local)}, ${b.num(other.time_in_bed_minutes, 1)} min in bed${other.total_sleep_minutes === null ? "" : `, ${b.num(other.total_sleep_minutes, 1)} min asleep`}); the two are one night, not added together, and the figures come from ${i.source}, ${n.primary.staged ? "the longer recording with sleep stages" : "the longer recording"}.`,
      );
    }
    if (f.totalSleepMinutes === null || f.efficiencyPercent === null) {
      b.add("This session has no sleep stages, so total sleep time, efficiency, latency and stage figures cannot be given; only time in bed is known.");
    } else {
      b.add(
        `Total sleep time was ${b.literal(i.total_sleep_text ?? "")} (${b.num(f.totalSleepMinutes, 1)} min), a sleep efficiency of ${b.pct(f.efficiencyPercent, 1)} (sleep ÷ time in bed; ${b.literal("85%")} or more is considered good, so this is ${f.efficiencyPercent >= 85 ? "good" : "below that mark"}).`,
      );
      if (f.latencyMinutes !== null && f.wasoMinutes !== null) {
        b.add(
          `Sleep latency (from the start of the session to the first sleep stage) was ${b.num(f.latencyMinutes, 1)} min, and wake after sleep onset ${b.num(f.wasoMinutes, 1)} min.`,
        );
      }
      if (f.detailedStages && i.deep_percent_of_sleep !== null && i.rem_percent_of_sleep !== null && i.light_percent_of_sleep !== null) {
        const deepWord = i.deep_vs_reference === "within" ? "within" : i.deep_vs_reference === "below" ? "below" : "above";
        const remWord = i.rem_vs_reference === "within" ? "within" : i.rem_vs_reference === "below" ? "below" : "above";
        b.add(
          `Stages: light ${b.num(f.stageMinutes.light, 1)} min (${b.pct(i.light_percent_of_sleep, 1)}), deep ${b.num(f.stageMinutes.deep, 1)} min (${b.pct(i.deep_percent_of_sleep, 1)}, ${deepWord} the typical ${b.literal("13-23%")}), REM ${b.num(f.stageMinutes.rem, 1)} min (${b.pct(i.rem_percent_of_sleep, 1)}, ${remWord} the typical ${b.literal("20-25%")}).`,
          "Wearable stage estimates are less precise than a sleep study.",
        );
      } else {
        b.add("The stages do not separate light, deep and REM sleep, so no stage breakdown is given.");
      }
    }
    const basisText = f.totalSleepMinutes === null ? "Time in bed (sleep time is unknown without stages)" : "Sleep";
    const dur = f.totalSleepMinutes ?? f.timeInBedMinutes;
    const meets = round1(dur) >= 420;
    const nsfText =
      nsf === undefined || i.nsf_position === null
        ? "the NSF adult ranges do not apply to the supplied age"
        : `the NSF recommends ${b.literal(`${nsf.low}-${nsf.high}`)} h for ${b.literal(nsf.group)}, and this night was ${i.nsf_position} that range`;
    b.add(
      `${basisText} on this night ${meets ? "met" : "fell short of"} the AASM and Sleep Research Society recommendation of ${b.literal("7")} h or more for adults (${nsfText}).`,
    );
    if (!meets) b.add("One night says little about usual sleep; if short nights are common, that is worth discussing with a clinician.");
  }
  if (nights.length > 3 && summary !== null) {
    b.paragraph();
    const parts: string[] = [];
    if (summary.mean_total_sleep_minutes !== null) parts.push(`mean total sleep time was ${b.num(summary.mean_total_sleep_minutes, 1)} min`);
    if (summary.mean_efficiency_percent !== null) parts.push(`mean efficiency ${b.pct(summary.mean_efficiency_percent, 1)} (${b.literal("85%")} or more is considered good)`);
    if (summary.mean_deep_percent !== null) parts.push(`deep sleep ${b.pct(summary.mean_deep_percent, 1)} of sleep on average (typically ${b.literal("13-23%")})`);
    if (summary.mean_rem_percent !== null) parts.push(`REM ${b.pct(summary.mean_rem_percent, 1)} (typically ${b.literal("20-25%")})`);
    if (summary.mean_time_in_bed_minutes !== null) parts.push(`mean time in bed ${b.num(summary.mean_time_in_bed_minutes, 1)} min`);
    b.add(`Across ${b.int(nights.length)} nights, ${parts.join(", ")}.`);
    b.add(
      `${b.int(summary.nights_meeting_7h)} of the ${b.int(nights.length)} nights reached the ${b.literal("7")} h or more that the AASM and Sleep Research Society recommend for adults.`,
    );
    if (summary.nights_meeting_7h * 2 < nights.length) b.add("Most nights were shorter than that; if this is usual, it is worth discussing with a clinician.");
    if (summary.staged_nights < nights.length) {
      b.add(`${b.int(nights.length - summary.staged_nights)} ${nights.length - summary.staged_nights === 1 ? "night has" : "nights have"} no sleep stages, so efficiency and stage figures for ${nights.length - summary.staged_nights === 1 ? "it are" : "them are"} not given.`);
    }
  }
  b.paragraph();
  if (variability !== null) {
    const basis = variability["duration_basis"] === "total_sleep_time" ? "sleep duration" : "time in bed";
    b.add(
      `Over ${b.int(nights.length)} nights, ${basis} varied with a standard deviation of ${b.num(variability["duration_sd_minutes"] as number, 1)} min, and bedtime (mean ${b.literal(variability["bedtime_mean_local"] as string)}) with a standard deviation of ${b.num(variability["bedtime_sd_minutes"] as number, 1)} min.`,
    );
  } else if (nights.length > 0) {
    b.add(
      `Bedtime and duration variability need at least ${b.int(MIN_NIGHTS_FOR_VARIABILITY)} nights; this file has ${b.int(nights.length)}, so no variability or trend is given.`,
    );
  } else {
    b.add("There is no night-time sleep in this file, so no nightly figures are given.");
  }
  if (naps.length > 0) {
    b.paragraph();
    const napTexts = naps.map((n) => `${b.num(n.duration_hours, 1)} h on ${b.literal(n.date)} from ${b.literal(n.start_local)} to ${b.literal(n.end_local)} (${n.source})`);
    b.add(`${naps.length === 1 ? "A daytime nap" : "Daytime naps"} of ${napTexts.join("; ")} ${naps.length === 1 ? "is" : "are"} kept out of the nightly figures.`);
  }
  const narrative = b.build(insights);
  return { kind: "narrative", narrative, insights, recordsProcessed: sessions.length };
}

/** The sleep processor (clinical.md §3). */
export class SleepProcessor implements ClinicalProcessor<"SleepSessionRecord"> {
  readonly recordType = "SleepSessionRecord" as const;
  readonly version = SLEEP_PROCESSOR_VERSION;

  /** Nothing to prepare; safe to call twice. */
  initialize(): Promise<void> {
    return Promise.resolve();
  }

  /** Analyses one file's sleep sessions. */
  processWithClinicalInsights(records: readonly SleepSessionRecord[], message: HealthDataMessage, validation: ValidationResult): Promise<ProcessingResult> {
    return Promise.resolve(timedResult(validation, () => analyzeSleep(records, message.healthMetadata)));
  }

  /** Nothing to release; safe to call twice. */
  cleanup(): Promise<void> {
    return Promise.resolve();
  }
}
