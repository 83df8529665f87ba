import type { RecordType } from "@narrative-engine/contracts";

/** Hand-built records shaped like the real exports (clinical.md §1), for table-driven tests. */

/** Start of the built data: 2025-09-20T05:00:00Z. */
export const T0 = Date.UTC(2025, 8, 20, 5);
/** The validator clock in tests: a month after {@link T0} (daily builders span 10 days). */
export const NOW = Date.UTC(2025, 9, 20);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

type Rec = Record<string, unknown>;

function metadata(type: string, i: number): Rec {
  return {
    id: `${type}-${i}`,
    dataOriginPackageName: "com.example.source",
    lastModifiedTimeEpochMillis: T0,
    clientRecordId: null,
    clientRecordVersion: 0,
    device: null,
  };
}

function interval(start: number, end: number): Rec {
  return { startTimeEpochMillis: start, endTimeEpochMillis: end, startZoneOffsetId: "-05:00", endZoneOffsetId: "-05:00" };
}

/** Glucose reading `i`, every 5 minutes. */
export function glucose(i: number, level = 110): Rec {
  return {
    metadata: metadata("glucose", i),
    appRecordFetchTimeEpochMillis: NOW - HOUR,
    timeEpochMillis: T0 + i * 5 * MINUTE,
    zoneOffsetId: "Z",
    levelInMilligramsPerDeciliter: level,
    specimenSource: "INTERSTITIAL_FLUID",
    mealType: "UNKNOWN",
    relationToMeal: "UNKNOWN",
  };
}

/** Heart-rate record `i`: 10 minutes with a sample every minute, first and last on the boundaries. */
export function heartRate(i: number, bpm = 70): Rec {
  const start = T0 + i * 10 * MINUTE;
  const samples = Array.from({ length: 11 }, (_, k) => ({ timeEpochMillis: start + k * MINUTE, beatsPerMinute: bpm }));
  return { metadata: metadata("hr", i), appRecordFetchTimeEpochMillis: NOW - HOUR, ...interval(start, start + 10 * MINUTE), samples };
}

/** Sleep session `i` (one per day) of `minutes`, with stages of 30 minutes filling it. */
export function sleep(i: number, minutes = 7 * 60): Rec {
  const start = T0 + i * 24 * HOUR;
  const end = start + minutes * MINUTE;
  const stages: Rec[] = [];
  const cycle = ["LIGHT", "DEEP", "LIGHT", "REM"];
  for (let s = start, k = 0; s < end; s += 30 * MINUTE, k++) {
    stages.push({ startTimeEpochMillis: s, endTimeEpochMillis: Math.min(end, s + 30 * MINUTE), stage: cycle[k % 4] });
  }
  return {
    metadata: metadata("sleep", i),
    appRecordFetchTimeEpochMillis: NOW - HOUR,
    ...interval(start, end),
    title: null,
    notes: null,
    durationMillis: end - start,
    stages,
  };
}

/** Daily step total for day `i` (local day -05:00, ending at 23:59:59.999 like Samsung's). */
export function steps(i: number, count = 4000): Rec {
  const start = T0 + i * 24 * HOUR;
  return { metadata: metadata("steps", i), appRecordFetchTimeEpochMillis: NOW - HOUR, ...interval(start, start + 24 * HOUR - 1), count };
}

/** Daily active energy for day `i`. */
export function activeCalories(i: number, kcal = 124): Rec {
  const start = T0 + i * 24 * HOUR;
  return {
    metadata: metadata("kcal", i),
    appRecordFetchTimeEpochMillis: NOW - HOUR,
    ...interval(start, start + 24 * HOUR - 1),
    energyInKilocalories: kcal,
  };
}

/** RMSSD reading `i`, every 5 minutes. */
export function hrv(i: number, rmssd = 40): Rec {
  return {
    metadata: metadata("hrv", i),
    appRecordFetchTimeEpochMillis: NOW - HOUR,
    timeEpochMillis: T0 + i * 5 * MINUTE,
    zoneOffsetId: "Z",
    heartRateVariabilityRmssd: rmssd,
  };
}

/** Builder of clean record `i` per type. */
export const BUILDERS: Readonly<Record<RecordType, (i: number) => Rec>> = {
  BloodGlucoseRecord: (i) => glucose(i),
  HeartRateRecord: (i) => heartRate(i),
  SleepSessionRecord: (i) => sleep(i),
  StepsRecord: (i) => steps(i),
  ActiveCaloriesBurnedRecord: (i) => activeCalories(i),
  HeartRateVariabilityRmssdRecord: (i) => hrv(i),
};

/** `n` clean records of `type`. */
export function cleanFile(type: RecordType, n = 10): Rec[] {
  return Array.from({ length: n }, (_, i) => BUILDERS[type](i));
}
