/** Weights of the four component scores in the quality score. */
export interface QualityWeights {
  /** Weight of the schema score (share of schema-valid records). */
  readonly schema: number;
  /** Weight of the completeness score (mean share of required fields present). */
  readonly completeness: number;
  /** Weight of the physiological score (share of values inside plausible ranges). */
  readonly physiological: number;
  /** Weight of the temporal score (timestamp consistency × ordering). */
  readonly temporal: number;
}

/** The default weights of clinical.md §2: 0.3 / 0.3 / 0.2 / 0.2. */
export const DEFAULT_QUALITY_WEIGHTS: QualityWeights = Object.freeze({
  schema: 0.3,
  completeness: 0.3,
  physiological: 0.2,
  temporal: 0.2,
});

/** How far the weights' sum may be from 1. */
export const WEIGHT_SUM_TOLERANCE = 0.01;

const WEIGHT_NAMES = ["schema", "completeness", "physiological", "temporal"] as const;

/**
 * Checks a weights object: every weight a number in [0, 1], the sum 1 ± 0.01. Throws a
 * `RangeError` naming the offending weight or the sum; returns a frozen copy otherwise.
 */
export function validateQualityWeights(weights: unknown): QualityWeights {
  if (typeof weights !== "object" || weights === null) {
    throw new RangeError(`quality weights must be an object with ${WEIGHT_NAMES.join(", ")}`);
  }
  const source = weights as Record<string, unknown>;
  let sum = 0;
  for (const name of WEIGHT_NAMES) {
    const value = source[name];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new RangeError(`quality weight "${name}" must be a number between 0 and 1, got ${JSON.stringify(value) ?? String(value)}`);
    }
    sum += value;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE + Number.EPSILON) {
    throw new RangeError(
      `quality weights must sum to 1 ± ${WEIGHT_SUM_TOLERANCE}, got ${Number(sum.toFixed(6))} ` +
        `(${WEIGHT_NAMES.map((n) => `${n}=${String(source[n])}`).join(", ")})`,
    );
  }
  return Object.freeze({
    schema: source["schema"] as number,
    completeness: source["completeness"] as number,
    physiological: source["physiological"] as number,
    temporal: source["temporal"] as number,
  });
}
