import type { HealthDataMessage, ValidationResult } from "@narrative-engine/contracts";
import type { ObjectStore } from "@narrative-engine/storage";
import type { OutcomeReason } from "./pipeline-outcome.ts";

/** Default prefix of quarantined objects. */
export const DEFAULT_QUARANTINE_PREFIX = "quarantine/";

/** Where a quarantined file and its sidecar go. */
export interface QuarantineLocation {
  /** Bucket. */
  readonly bucket: string;
  /** Key of the copied file. */
  readonly objectKey: string;
  /** Key of the JSON metadata sidecar. */
  readonly metadataKey: string;
}

/**
 * `{prefix}{recordType}/{YYYY}/{MM}/{DD}/{idempotencyKey}/{basename}` plus `metadata.json`
 * beside it. The date is the message's upload date (UTC), so every attempt of one message
 * lands on the same keys and quarantining twice overwrites instead of duplicating.
 */
export function quarantineLocation(message: HealthDataMessage, bucket: string, prefix: string = DEFAULT_QUARANTINE_PREFIX): QuarantineLocation {
  const uploaded = new Date(message.uploadTimestampUtc);
  const yyyy = String(uploaded.getUTCFullYear()).padStart(4, "0");
  const mm = String(uploaded.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(uploaded.getUTCDate()).padStart(2, "0");
  const basename = message.key.split("/").filter((part) => part.length > 0).pop() ?? "object";
  const folder = `${prefix}${message.recordType}/${yyyy}/${mm}/${dd}/${message.idempotencyKey}/`;
  return { bucket, objectKey: `${folder}${basename}`, metadataKey: `${folder}metadata.json` };
}

/** What the sidecar records besides the message (never record values, never the user id). */
export interface QuarantineDetails {
  /** Pipeline stage that quarantined the file. */
  readonly stage: string;
  /** Why. */
  readonly reason: OutcomeReason;
  /** Retries already done. */
  readonly attempt: number;
  /** Validation result, when validation ran. */
  readonly validation?: ValidationResult;
  /** Further operator context (e.g. the actual sha256, the decoded record type). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Worker that quarantined it. */
  readonly workerId: string;
  /** When, epoch ms. */
  readonly at: number;
}

/** The sidecar document written beside a quarantined file. */
export function quarantineSidecar(message: HealthDataMessage, location: QuarantineLocation, details: QuarantineDetails): Record<string, unknown> {
  return {
    quarantined_at: new Date(details.at).toISOString(),
    stage: details.stage,
    reason: { error_type: details.reason.errorType, message: details.reason.message },
    attempt: details.attempt,
    worker_id: details.workerId,
    source: { bucket: message.bucket, key: message.key },
    quarantine: { bucket: location.bucket, object_key: location.objectKey },
    message: {
      message_id: message.messageId ?? null,
      correlation_id: message.correlationId,
      idempotency_key: message.idempotencyKey,
      record_type: message.recordType,
      upload_timestamp_utc: message.uploadTimestampUtc,
      file_size_bytes: message.fileSizeBytes,
      content_hash: message.contentHash ?? null,
      record_count: message.recordCount ?? null,
      priority: message.priority ?? null,
      retry_count: message.retryCount,
    },
    validation:
      details.validation === undefined
        ? null
        : {
            is_valid: details.validation.isValid,
            quality_score: details.validation.qualityScore,
            errors: details.validation.errors,
            warnings: details.validation.warnings,
            metadata: details.validation.metadata,
          },
    details: details.details ?? {},
  };
}

/**
 * Copies the file to its quarantine location (server-side where the store can, so an
 * oversized file is never downloaded) and writes the sidecar. Idempotent.
 */
export async function writeQuarantine(
  store: ObjectStore,
  message: HealthDataMessage,
  location: QuarantineLocation,
  details: QuarantineDetails,
  signal?: AbortSignal,
): Promise<void> {
  const options = signal === undefined ? {} : { signal };
  // A missing source still gets its sidecar: the operator needs to know the message came.
  let copied = true;
  try {
    await store.copy({ bucket: message.bucket, key: message.key }, { bucket: location.bucket, key: location.objectKey }, options);
  } catch (error) {
    if ((error as { errorType?: unknown } | null)?.errorType !== "not_found") throw error;
    copied = false;
  }
  const sidecar = { ...quarantineSidecar(message, location, details), object_copied: copied };
  await store.put(location.bucket, location.metadataKey, `${JSON.stringify(sidecar, null, 2)}\n`, { ...options, contentType: "application/json" });
}
