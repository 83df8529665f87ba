import { HEALTH_DOMAINS, MessageValidationError, type HealthDomain } from "@narrative-engine/contracts";

/** Default prefix of training objects. */
export const DEFAULT_TRAINING_PREFIX = "training/";

/** Content type of training objects. */
export const TRAINING_CONTENT_TYPE = "application/x-ndjson";

// Letters, digits, dot, underscore and hyphen; no leading dot (so never "." or ".."), at most 128.
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** True when `value` can be used as one key segment as is (no slash, no dot-only names, ≤ 128 characters). */
export function isSafeKeySegment(value: unknown): value is string {
  return typeof value === "string" && SAFE_SEGMENT.test(value);
}

/** Throws a `validation_error` naming the idempotency key when it is not a safe key segment. */
export function assertSafeIdempotencyKey(value: unknown): asserts value is string {
  if (!isSafeKeySegment(value)) {
    throw new MessageValidationError(
      "idempotency_key",
      "must be 1–128 characters of letters, digits, '.', '_' or '-' and not start with '.', to be used in an object key",
    );
  }
}

/** A prefix with exactly one trailing slash ("" stays ""). */
export function normalizeTrainingPrefix(prefix: string): string {
  if (prefix === "") return "";
  return prefix.endsWith("/") ? prefix : `${prefix}/`;
}

/** A time as the output functions accept it: a Date, epoch milliseconds or an ISO 8601 string. */
export type TimeInput = Date | number | string;

/** The time as epoch milliseconds, or undefined when it is missing or unparseable. */
export function toEpochMillis(value: TimeInput | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Where a training object goes. */
export interface TrainingObjectKeyInput {
  /** Key prefix. Default `training/`. */
  readonly prefix?: string;
  /** Health domain of the record type. */
  readonly domain: HealthDomain;
  /** First timestamp of the data; its UTC year and month file the object. */
  readonly dataStart?: TimeInput | null;
  /** Used for the month when `dataStart` is missing: the upload time. */
  readonly fallbackTime?: TimeInput | null;
  /** The message's idempotency key: the object's name. */
  readonly idempotencyKey: string;
}

/**
 * `{prefix}{domain}/{YYYY}/{MM}/{idempotency_key}.jsonl`, filed under the UTC month of the
 * data (of `fallbackTime` when there is no data start). Throws a `validation_error` for an
 * unsafe idempotency key and a `RangeError` when neither time is usable.
 */
export function trainingObjectKey(input: TrainingObjectKeyInput): string {
  assertSafeIdempotencyKey(input.idempotencyKey);
  if (!(HEALTH_DOMAINS as readonly string[]).includes(input.domain)) {
    throw new RangeError(`unknown health domain ${JSON.stringify(input.domain)}; expected one of ${HEALTH_DOMAINS.join(", ")}`);
  }
  const ms = toEpochMillis(input.dataStart) ?? toEpochMillis(input.fallbackTime);
  if (ms === undefined) throw new RangeError("training object key needs a data start or a fallback time (upload time)");
  const date = new Date(ms);
  const fullYear = date.getUTCFullYear();
  if (!(fullYear >= 1970 && fullYear <= 9999)) throw new RangeError(`training object time ${ms} is outside the years 1970–9999`);
  const year = String(fullYear);
  const month = String(date.getUTCMonth() + 1).padStart(2, "0");
  return `${normalizeTrainingPrefix(input.prefix ?? DEFAULT_TRAINING_PREFIX)}${input.domain}/${year}/${month}/${input.idempotencyKey}.jsonl`;
}
