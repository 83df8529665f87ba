// Builders for blood glucose and HRV records, a message and a validation result in tests.
import type { BloodGlucoseRecord, HealthDataMessage, HeartRateVariabilityRmssdRecord, RecordType, ValidationResult } from "@narrative-engine/contracts";

/** The Dexcom Stelo package name, as in the real exports. */
export const DEXCOM = "com.dexcom.stelo";
/** Oura's package name, as in the real exports. */
export const OURA_RING = "com.ouraring.oura";
const MINUTE = 60_000;
/** 2025-09-20T00:00:00Z. */
export const DAY0 = Date.UTC(2025, 8, 20);

/** One glucose reading. */
export function glucose(
  id: string,
  time: number,
  mgDl: number,
  extra: Partial<Pick<BloodGlucoseRecord, "zoneOffsetId" | "relationToMeal" | "specimenSource">> & { source?: string } = {},
): BloodGlucoseRecord {
  return {
    metadata: {
      id,
      dataOriginPackageName: extra.source ?? DEXCOM,
      lastModifiedTimeEpochMillis: time + MINUTE,
      clientRecordId: `client-${id}`,
      clientRecordVersion: 0,
      device: { manufacturer: "Dexcom Inc", model: "com.dexcom.stelo", type: "UNKNOWN" },
    },
    timeEpochMillis: time,
    zoneOffsetId: extra.zoneOffsetId === undefined ? "Z" : extra.zoneOffsetId,
    levelInMilligramsPerDeciliter: mgDl,
    specimenSource: extra.specimenSource ?? "INTERSTITIAL_FLUID",
    mealType: "UNKNOWN",
    relationToMeal: extra.relationToMeal ?? "UNKNOWN",
    appRecordFetchTimeEpochMillis: time + 2 * MINUTE,
  };
}

/** A 5-minute CGM series starting at `start` (epoch ms), ids `${prefix}-${i}`. */
export function glucoseSeries(values: readonly number[], start = DAY0, prefix = "g", extra: Parameters<typeof glucose>[3] = {}): BloodGlucoseRecord[] {
  return values.map((v, i) => glucose(`${prefix}-${String(i)}`, start + i * 5 * MINUTE, v, extra));
}

/** A series every `stepMinutes` from DAY0 (for long periods without thousands of records). */
export function glucoseEvery(stepMinutes: number, values: readonly number[]): BloodGlucoseRecord[] {
  return values.map((v, i) => glucose(`s-${String(i)}`, DAY0 + i * stepMinutes * MINUTE, v));
}

/** One RMSSD reading. */
export function rmssd(id: string, time: number, ms: number, zoneOffsetId: string | null = "-05:00", source = OURA_RING): HeartRateVariabilityRmssdRecord {
  return {
    metadata: {
      id,
      dataOriginPackageName: source,
      lastModifiedTimeEpochMillis: time + MINUTE,
      clientRecordId: `oura:${id}`,
      clientRecordVersion: 1,
      device: { manufacturer: null, model: null, type: "RING" },
    },
    timeEpochMillis: time,
    zoneOffsetId,
    heartRateVariabilityRmssd: ms,
    appRecordFetchTimeEpochMillis: time + 2 * MINUTE,
  };
}

/** A message for `recordType` with optional health metadata. */
export function message(recordType: RecordType, healthMetadata?: Record<string, unknown>): HealthDataMessage {
  return {
    bucket: "health-data",
    key: `raw/${recordType}/file.avro`,
    userId: "user-secret-42",
    recordType,
    uploadTimestampUtc: "2025-09-20T22:25:39Z",
    fileSizeBytes: 1000,
    contentHash: undefined,
    messageId: "m-1",
    correlationId: "c-1",
    idempotencyKey: "k-1",
    idempotencyKeyDerived: false,
    retryCount: 0,
    maxRetries: undefined,
    priority: undefined,
    recordCount: undefined,
    healthMetadata,
    extra: {},
  };
}

/** A passing validation result. */
export function validation(recordType: RecordType, qualityScore = 0.95): ValidationResult {
  return {
    isValid: true,
    qualityScore,
    errors: [],
    warnings: [],
    metadata: {
      schema_valid: true,
      completeness_score: 1,
      physiological_score: 1,
      temporal_score: 1,
      record_count: 0,
      record_type: recordType,
      dropped: {},
    },
  };
}
