export {
  DEFAULT_FUTURE_SKEW_MS,
  DEFAULT_MAX_RECORDS_PER_FILE,
  DEFAULT_QUALITY_THRESHOLD,
  DROPPED_CHECKS,
  DataQualityValidator,
  INTERVAL_END_ALLOWANCE_MS,
  UNSORTED_TEMPORAL_FACTOR,
  type DataQualityValidatorOptions,
  type ValidationContext,
} from "./data-quality-validator.ts";
export { PHYSIOLOGICAL_RANGES, isInRange, roundToTenth, type PhysiologicalRange } from "./physiological-ranges.ts";
export { DEFAULT_QUALITY_WEIGHTS, WEIGHT_SUM_TOLERANCE, validateQualityWeights, type QualityWeights } from "./quality-weights.ts";
export { REQUIRED_FIELD_SPECS, REQUIRED_METADATA_FIELDS, type FieldKind, type RequiredField } from "./required-fields.ts";
