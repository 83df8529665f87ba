import type { HealthDataMessage, RecordType, ValidationResult } from "@narrative-engine/contracts";

/** The user id {@link sampleMessage} puts in its messages; a narrative must never contain it. */
export const SAMPLE_USER_ID = "sample-user-5f1c9e";

/** The quality score {@link sampleValidation} gives by default; processors must pass it through unchanged. */
export const SAMPLE_QUALITY_SCORE = 0.93;

/**
 * A normalised message announcing one file of `recordType`, as the pipeline hands it to a
 * processor. `overrides` replace fields, e.g. `{ healthMetadata: { user_timezone_offset: "-05:00", age: 41 } }`.
 */
export function sampleMessage(recordType: RecordType, overrides: Partial<HealthDataMessage> = {}): HealthDataMessage {
  return {
    bucket: "health-data",
    key: `raw/${recordType}/2025/09/20/${SAMPLE_USER_ID}_1758407139312.avro`,
    userId: SAMPLE_USER_ID,
    recordType,
    uploadTimestampUtc: "2025-09-20T22:25:39Z",
    fileSizeBytes: 1000,
    contentHash: undefined,
    messageId: "sample-message-1",
    correlationId: "sample-correlation-1",
    idempotencyKey: "sample-idempotency-1",
    idempotencyKeyDerived: false,
    retryCount: 0,
    maxRetries: undefined,
    priority: undefined,
    recordCount: undefined,
    healthMetadata: undefined,
    extra: {},
    ...overrides,
  };
}

/** Options of {@link sampleValidation}: top-level fields to replace, and the record count for its metadata. */
export interface SampleValidationOptions extends Partial<Omit<ValidationResult, "metadata">> {
  /** Records in the file (written to `metadata.record_count`); 0 by default. */
  readonly recordCount?: number;
  /** Metadata fields to replace. */
  readonly metadata?: Partial<ValidationResult["metadata"]>;
}

/** A passing validation result for `recordType` (quality {@link SAMPLE_QUALITY_SCORE} unless overridden). */
export function sampleValidation(recordType: RecordType, options: SampleValidationOptions = {}): ValidationResult {
  const { recordCount = 0, metadata = {}, ...overrides } = options;
  return {
    isValid: true,
    qualityScore: SAMPLE_QUALITY_SCORE,
    errors: [],
    warnings: [],
    ...overrides,
    metadata: {
      schema_valid: true,
      completeness_score: 1,
      physiological_score: 1,
      temporal_score: 1,
      record_count: recordCount,
      record_type: recordType,
      dropped: {},
      ...metadata,
    },
  };
}
