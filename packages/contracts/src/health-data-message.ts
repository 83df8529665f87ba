import { createHash } from "node:crypto";
import { z } from "zod";
import { parseRecordType, RECORD_TYPES, type RecordType } from "./record-types.ts";

/** Message bodies larger than this (bytes) are rejected unparsed. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Objects and arrays nested deeper than this in a message body are rejected. */
export const MAX_MESSAGE_DEPTH = 32;

const optionalString = z.string().min(1, "must not be empty").nullish();
const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, "must be a sha256 hex digest (64 hexadecimal characters)");
const count = z.number().int("must be an integer").nonnegative("must not be negative");

/**
 * The wire schema: accepts the health-api producer, the message-queue publisher and the
 * module-spec shapes (snake_case fields) and keeps unknown fields.
 */
export const healthDataMessageWireSchema = z.looseObject({
  bucket: z.string().min(1, "must not be empty"),
  key: z.string().min(1, "must not be empty"),
  user_id: z.string().min(1, "must not be empty"),
  record_type: z.string().refine((v) => parseRecordType(v) !== undefined, {
    error: `unknown record type; expected one of ${RECORD_TYPES.join(", ")} (optionally prefixed with "Avro")`,
  }),
  upload_timestamp_utc: z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: "must be an ISO 8601 timestamp" }),
  file_size_bytes: count,
  file_hash: sha256Hex.nullish(),
  content_hash: sha256Hex.nullish(),
  message_id: optionalString,
  correlation_id: optionalString,
  idempotency_key: optionalString,
  retry_count: count.nullish(),
  max_retries: count.nullish(),
  processing_priority: optionalString,
  priority: optionalString,
  record_count: count.nullish(),
  health_metadata: z.record(z.string(), z.unknown()).nullish(),
});

/** A message as producers put it on the wire. */
export type HealthDataMessageWire = z.input<typeof healthDataMessageWireSchema>;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(healthDataMessageWireSchema.shape));

/** A message announcing one uploaded Health Connect file, normalised across producer shapes. */
export interface HealthDataMessage {
  /** Bucket holding the file. */
  readonly bucket: string;
  /** Object key of the file. */
  readonly key: string;
  /** The user the data belongs to. Never logged at info level, never a metric label. */
  readonly userId: string;
  /** Record type, normalised (no `Avro` prefix). */
  readonly recordType: RecordType;
  /** When the phone uploaded the file (ISO 8601, as sent). */
  readonly uploadTimestampUtc: string;
  /** Size of the file in bytes, as the producer reports it. */
  readonly fileSizeBytes: number;
  /** sha256 hex of the file (`file_hash` or `content_hash`), lower-case, when sent. */
  readonly contentHash: string | undefined;
  /** Producer's message id, when sent. */
  readonly messageId: string | undefined;
  /** Correlation id: as sent, else the message id, else the idempotency key. */
  readonly correlationId: string;
  /** Idempotency key: as sent, else derived as the health-api producer does. */
  readonly idempotencyKey: string;
  /** True when the idempotency key was derived rather than sent. */
  readonly idempotencyKeyDerived: boolean;
  /** Retry count the producer put in the body (0 when absent). */
  readonly retryCount: number;
  /** Maximum retries the producer asked for, when sent. */
  readonly maxRetries: number | undefined;
  /** Priority (`processing_priority` or `priority`), when sent. */
  readonly priority: string | undefined;
  /** Number of records the producer says the file holds, when sent. */
  readonly recordCount: number | undefined;
  /** Extra context from the producer (e.g. the user's UTC offset or age), when sent. */
  readonly healthMetadata: Readonly<Record<string, unknown>> | undefined;
  /** Fields this version does not know, kept as sent. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Why a message body was rejected; `field` names the offending field (`(body)` for the body as a whole). */
export class MessageValidationError extends Error {
  override readonly name: string = "MessageValidationError";
  /** Always `validation_error`: a bad message is dead-lettered at once. */
  readonly errorType = "validation_error" as const;
  /** The offending field, dotted for nested fields; `(body)` for the whole body. */
  readonly field: string;
  /** What is wrong with it. */
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`invalid message: ${field === "(body)" ? "body" : `field "${field}"`} ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

/** Outcome of parsing a message body. */
export type MessageParseResult =
  | { readonly success: true; readonly message: HealthDataMessage }
  | { readonly success: false; readonly error: MessageValidationError };

/** The idempotency key the health-api producer derives: sha256(`{user_id}:{file_hash}`), first 16 hex chars. */
export function deriveIdempotencyKey(userId: string, fileHash: string): string {
  return createHash("sha256").update(`${userId}:${fileHash}`).digest("hex").slice(0, 16);
}

function fail(field: string, reason: string): MessageParseResult {
  return { success: false, error: new MessageValidationError(field, reason) };
}

function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses and normalises a raw message body (bytes or text). Never throws: a body over
 * {@link MAX_MESSAGE_BYTES}, invalid UTF-8 or JSON, a non-object, or a field of the wrong
 * shape gives a {@link MessageValidationError} naming the field.
 */
export function parseHealthDataMessage(body: Uint8Array | string): MessageParseResult {
  const size = typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength;
  if (size > MAX_MESSAGE_BYTES) return fail("(body)", `is ${size} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit`);
  let text: string;
  try {
    text = typeof body === "string" ? body : utf8.decode(body);
  } catch {
    return fail("(body)", "is not valid UTF-8");
  }
  let value: unknown;
  try {
    // Own "__proto__" keys are dropped so no parsed object can carry a prototype override.
    value = JSON.parse(text, (k, v: unknown) => (k === "__proto__" ? undefined : v));
  } catch (error) {
    return fail("(body)", `is not valid JSON (${(error as Error).message})`);
  }
  return normalizeHealthDataMessage(value);
}

/** Validates and normalises an already-decoded message object. Never throws. */
export function normalizeHealthDataMessage(value: unknown): MessageParseResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return fail("(body)", `must be a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  if (depthExceeds(value, MAX_MESSAGE_DEPTH)) return fail("(body)", `is nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
  const parsed = healthDataMessageWireSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)";
    const missing = issue?.code === "invalid_type" && (value as Record<string, unknown>)[field] === undefined;
    return fail(field, missing ? "is required" : (issue?.message ?? "is invalid"));
  }
  const wire = parsed.data;
  const fileHash = wire.file_hash ?? wire.content_hash ?? undefined;
  let idempotencyKey = wire.idempotency_key ?? undefined;
  const derived = idempotencyKey === undefined;
  if (idempotencyKey === undefined) {
    if (fileHash === undefined) return fail("idempotency_key", "is required when neither file_hash nor content_hash is sent");
    idempotencyKey = deriveIdempotencyKey(wire.user_id, fileHash);
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wire)) if (!KNOWN_FIELDS.has(k)) extra[k] = v;
  const messageId = wire.message_id ?? undefined;
  const message: HealthDataMessage = {
    bucket: wire.bucket,
    key: wire.key,
    userId: wire.user_id,
    recordType: parseRecordType(wire.record_type) as RecordType,
    uploadTimestampUtc: wire.upload_timestamp_utc,
    fileSizeBytes: wire.file_size_bytes,
    contentHash: fileHash?.toLowerCase(),
    messageId,
    correlationId: wire.correlation_id ?? messageId ?? idempotencyKey,
    idempotencyKey,
    idempotencyKeyDerived: derived,
    retryCount: wire.retry_count ?? 0,
    maxRetries: wire.max_retries ?? undefined,
    priority: wire.processing_priority ?? wire.priority ?? undefined,
    recordCount: wire.record_count ?? undefined,
    healthMetadata: wire.health_metadata ?? undefined,
    extra,
  };
  return { success: true, message };
}
