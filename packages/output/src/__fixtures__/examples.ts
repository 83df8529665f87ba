import {
  normalizeHealthDataMessage,
  type HealthDataMessage,
  type ProcessingResult,
  type RecordType,
  type TrainingExample,
  type ValidationResult,
} from "@narrative-engine/contracts";
import { buildTrainingExample, type BuildTrainingExampleInput } from "../build-training-example.ts";

/** A normalised message for `recordType` with the given idempotency key. */
export function message(recordType: RecordType = "BloodGlucoseRecord", idempotencyKey = "a1b2c3d4e5f60718", extra: Record<string, unknown> = {}): HealthDataMessage {
  const parsed = normalizeHealthDataMessage({
    bucket: "health-data",
    key: `raw/user-7/${recordType}_1758407139312.avro`,
    user_id: "user-7",
    record_type: recordType,
    upload_timestamp_utc: "2025-09-20T22:25:39Z",
    file_size_bytes: 40_000,
    correlation_id: "corr-1",
    idempotency_key: idempotencyKey,
    ...extra,
  });
  if (!parsed.success) throw parsed.error;
  return parsed.message;
}

/** A successful processing result with glucose-like insights. */
export function result(overrides: Partial<ProcessingResult> = {}): ProcessingResult {
  return {
    success: true,
    narrative: "Glucose averaged 111.5 mg/dL with 100 % of readings in the 70–180 mg/dL range.",
    processingTimeSeconds: 0.012,
    recordsProcessed: 253,
    qualityScore: 0.98,
    clinicalInsights: {
      mean_glucose_mg_dl: 111.5,
      time_in_range_pct: 100,
      cv_pct: 13.5,
      meets_cv_target: true,
      zone_offset_used: "Z",
      time_below: { below_54_pct: 0, between_54_69_pct: 0 },
      hourly_profile: Array.from({ length: 24 }, (_, h) => ({ hour: h, median: 110 })),
      source_device_id: "dev-123",
      user_id: "user-7",
      note: null,
    },
    ...overrides,
  };
}

/** A validation result for a good file of `recordCount` records. */
export function validation(recordType: RecordType = "BloodGlucoseRecord", recordCount = 253): ValidationResult {
  return {
    isValid: true,
    qualityScore: 0.98,
    errors: [],
    warnings: [],
    metadata: {
      schema_valid: true,
      completeness_score: 1,
      physiological_score: 1,
      temporal_score: 0.9,
      record_count: recordCount,
      record_type: recordType,
      dropped: {},
    },
  };
}

/** Build input for `recordType`, data starting at 2025-09-20T05:00Z. */
export function buildInput(recordType: RecordType = "BloodGlucoseRecord", idempotencyKey?: string): BuildTrainingExampleInput {
  return {
    message: message(recordType, idempotencyKey),
    result: result(),
    validation: validation(recordType),
    processorVersion: "1.0.0",
    dataStart: "2025-09-20T05:00:00.000Z",
    dataEnd: Date.UTC(2025, 8, 21, 2),
  };
}

/** A valid example with idempotency key `key`. */
export function example(key = "a1b2c3d4e5f60718", recordType: RecordType = "BloodGlucoseRecord"): TrainingExample {
  return buildTrainingExample(buildInput(recordType, key));
}
