import type { JsonValue } from "./json.ts";
import type { RecordType } from "./record-types.ts";

/** Metadata of a data-quality validation (snake_case keys, as written to training metadata). */
export interface ValidationMetadata {
  /** True when every record has the required fields of its type. */
  readonly schema_valid: boolean;
  /** Mean share of required fields present and non-null (0–1). */
  readonly completeness_score: number;
  /** Share of values inside plausible physiological ranges (0–1). */
  readonly physiological_score: number;
  /** Temporal consistency score (0–1). */
  readonly temporal_score: number;
  /** Records in the file. */
  readonly record_count: number;
  /** Record type validated. */
  readonly record_type: RecordType;
  /** Values dropped by each check, keyed by check name. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Further details a validator adds. */
  readonly [key: string]: JsonValue | undefined;
}

/** Result of scoring one file's data quality. */
export interface ValidationResult {
  /** False when the file must not be processed (empty, or score below the threshold). */
  readonly isValid: boolean;
  /** Weighted quality score, 0–1. */
  readonly qualityScore: number;
  /** Problems that lower the score substantially or make the file invalid. */
  readonly errors: readonly string[];
  /** Problems worth noting that do not invalidate the file. */
  readonly warnings: readonly string[];
  /** Component scores and counts. */
  readonly metadata: ValidationMetadata;
}
