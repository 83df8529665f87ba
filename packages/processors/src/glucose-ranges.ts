/**
 * Glucose ranges of the 2019 International Consensus on Time in Range (Battelino et al.,
 * Diabetes Care 2019) and the Glycemia Risk Index (Klonoff et al., J Diabetes Sci Technol
 * 2023). Every boundary is applied to the value rounded to one decimal ({@link round1}),
 * so 69.99999999999999 counts as 70.0 (in range) and 53.95 as 54.0.
 */

import { round1 } from "./toolkit/index.ts";

/** The five consensus bands. */
export type GlucoseBand = "very_low" | "low" | "in_range" | "high" | "very_high";

/** Band of a reading, by its value rounded to 0.1 mg/dL: < 54 | 54–69.9 | 70–180 | 180.1–250 | > 250. */
export function glucoseBand(mgDl: number): GlucoseBand {
  const v = round1(mgDl);
  if (v < 54) return "very_low";
  if (v < 70) return "low";
  if (v <= 180) return "in_range";
  if (v <= 250) return "high";
  return "very_high";
}

/** True when the rounded value lies in the tight range 70–140 mg/dL (inclusive). */
export function inTightRange(mgDl: number): boolean {
  const v = round1(mgDl);
  return v >= 70 && v <= 140;
}

/** Consensus targets (percent of readings) and the CV target. */
export const GLUCOSE_TARGETS = {
  /** Time in range 70–180 above this. */
  timeInRangeMinPct: 70,
  /** Time below 54 under this. */
  below54MaxPct: 1,
  /** Time below 70 (including below 54) under this. */
  below70MaxPct: 4,
  /** Time above 180 (including above 250) under this. */
  above180MaxPct: 25,
  /** Time above 250 under this. */
  above250MaxPct: 5,
  /** Coefficient of variation at or below this. */
  cvMaxPct: 36,
  /** Days of data the consensus asks for. */
  minDays: 14,
  /** Capture the consensus asks for over those days. */
  minCapturePct: 70,
} as const;

/** Percent of readings in each band. */
export interface BandPercents {
  /** < 54 mg/dL. */
  readonly veryLow: number;
  /** 54–69 mg/dL. */
  readonly low: number;
  /** 181–250 mg/dL. */
  readonly high: number;
  /** > 250 mg/dL. */
  readonly veryHigh: number;
}

/** GRI = 3.0·%<54 + 2.4·%54–69 + 1.6·%>250 + 0.8·%181–250, capped at 100. */
export function glycemiaRiskIndex(p: BandPercents): number {
  return Math.min(100, 3.0 * p.veryLow + 2.4 * p.low + 1.6 * p.veryHigh + 0.8 * p.high);
}

/** GRI zones, lowest risk first. */
export type GriZone = "A" | "B" | "C" | "D" | "E";

/** Zone of a GRI value rounded to 0.1: A ≤ 20, B ≤ 40, C ≤ 60, D ≤ 80, E above (the published 0–20, 21–40, … bands). */
export function griZone(gri: number): GriZone {
  const v = round1(gri);
  if (v <= 20) return "A";
  if (v <= 40) return "B";
  if (v <= 60) return "C";
  if (v <= 80) return "D";
  return "E";
}

/** Glucose management indicator (%) from the mean in mg/dL: 3.31 + 0.02392 × mean (Bergenstal et al. 2018). */
export function glucoseManagementIndicator(meanMgDl: number): number {
  return 3.31 + 0.02392 * meanMgDl;
}
