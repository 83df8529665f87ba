import type { RecordType } from "@narrative-engine/contracts";

/** An inclusive plausible range, checked after rounding the value to one decimal. */
export interface PhysiologicalRange {
  /** Smallest plausible value (inclusive). */
  readonly min: number;
  /** Largest plausible value (inclusive). */
  readonly max: number;
  /** Unit of the value, for documentation and messages. */
  readonly unit: string;
  /** What is checked, for documentation and messages. */
  readonly what: string;
}

/**
 * Plausible ranges per record type (clinical.md §2). Heart rate is checked per sample and
 * sleep per session duration (end − start, in hours); every other type per record.
 */
export const PHYSIOLOGICAL_RANGES: Readonly<Record<RecordType, PhysiologicalRange>> = {
  BloodGlucoseRecord: { min: 20, max: 600, unit: "mg/dL", what: "glucose level" },
  HeartRateRecord: { min: 30, max: 220, unit: "bpm", what: "heart-rate sample" },
  SleepSessionRecord: { min: 0.5, max: 16, unit: "h", what: "sleep session duration" },
  StepsRecord: { min: 0, max: 100_000, unit: "steps", what: "step count per record" },
  ActiveCaloriesBurnedRecord: { min: 0, max: 10_000, unit: "kcal", what: "active energy per record" },
  HeartRateVariabilityRmssdRecord: { min: 1, max: 200, unit: "ms", what: "RMSSD" },
};

/** Rounds to one decimal, as every threshold in the engine expects (19.96 → 20.0). */
export function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

/** True when `value`, rounded to one decimal, lies inside `range` (bounds included). */
export function isInRange(value: number, range: PhysiologicalRange): boolean {
  const rounded = roundToTenth(value);
  return rounded >= range.min && rounded <= range.max;
}
