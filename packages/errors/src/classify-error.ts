import { isErrorType, type ErrorType } from "@narrative-engine/contracts";
import { createEtlError, fromUnknown } from "./create-etl-error.ts";
import { EtlError } from "./etl-error.ts";

const NOT_FOUND_NAMES: ReadonlySet<string> = new Set(["NoSuchKey", "NotFound", "NoSuchBucket", "NoSuchUpload", "NoSuchVersion"]);
const AUTH_NAMES: ReadonlySet<string> = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidToken",
  "UnrecognizedClientException",
  "CredentialsProviderError",
  "Forbidden",
]);
const RATE_LIMIT_NAMES: ReadonlySet<string> = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "ServiceUnavailable",
  "ProvisionedThroughputExceededException",
]);
const TEMPORARY_NAMES: ReadonlySet<string> = new Set(["InternalError", "InternalFailure", "ServiceException", "OperationAborted"]);
const TIMEOUT_NAMES: ReadonlySet<string> = new Set(["RequestTimeout", "RequestTimeoutException"]);

const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_SOCKET_CLOSED",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
  "NetworkingError",
]);
const RESOURCE_CODES: ReadonlySet<string> = new Set(["ENOMEM", "ERR_OUT_OF_MEMORY", "ENOSPC", "EMFILE", "ENFILE", "ERR_BUFFER_TOO_LARGE", "ERR_STRING_TOO_LONG"]);
const OUT_OF_MEMORY_MESSAGES = /array buffer allocation failed|invalid array length|invalid typed array length|invalid string length|out of memory|allocation failed/i;

// ioredis and amqplib report a lost or unusable connection by message, not by code.
const CONNECTION_MESSAGES =
  /socket hang up|connection is closed|connection closed|channel closed|channel ended|stream isn't writeable|reached the max retries per request|connection lost|connect econnrefused|frame size exceeds|heartbeat timeout|unexpected close/i;
const REDIS_TEMPORARY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|MISCONF|READONLY)\b/;
const REDIS_RESOURCE = /^OOM\b/;
const REDIS_AUTH = /^(NOAUTH|WRONGPASS|NOPERM)\b/;
const AMQP_AUTH = /ACCESS[-_]REFUSED/;

const MAX_CAUSE_DEPTH = 5;

/**
 * Works out the {@link ErrorType} of anything thrown and returns it as an {@link EtlError}
 * (the original kept as `cause`). Never throws. An `EtlError` passes through unchanged; any
 * object with a valid `errorType` string keeps that type (so contracts' `ProcessingError`,
 * `DataQualityError` and `MessageValidationError` classify as themselves); AWS SDK, Node
 * system, fetch/abort, ioredis and amqplib errors are mapped by name, code and status;
 * everything else, including a thrown string, `null` or `undefined`, is `processing_error`.
 */
export function classifyError(error: unknown): EtlError {
  if (error instanceof EtlError) return error;
  try {
    const type = typeOf(error, 0) ?? "processing_error";
    return fromUnknown(error, type);
  } catch {
    // A hostile getter or proxy; still give the caller something to route on.
    return createEtlError("processing_error", "an unclassifiable value was thrown");
  }
}

function typeOf(error: unknown, depth: number): ErrorType | undefined {
  if (error === null || (typeof error !== "object" && typeof error !== "function")) return undefined;
  const e = error as Record<string, unknown>;

  if (isErrorType(e["errorType"])) return e["errorType"];

  const name = str(e["name"]);
  const code = str(e["code"]) ?? str(e["Code"]) ?? str(e["errno"]);
  const message = str(e["message"]) ?? "";
  const status = httpStatus(e);

  const byName = (name !== undefined ? awsType(name) : undefined) ?? (code !== undefined ? awsType(code) : undefined);
  if (byName !== undefined) return byName;

  if (code !== undefined) {
    if (NETWORK_CODES.has(code)) return "network_error";
    if (RESOURCE_CODES.has(code)) return "resource_error";
    const sqlite = sqliteType(code);
    if (sqlite !== undefined) return sqlite;
  }

  if (name === "TimeoutError") {
    // The AWS SDK's node handler names socket timeouts "TimeoutError"; the request never got an answer.
    if (/socket|connection/i.test(message) && !isDomException(error)) return "network_error";
    return "timeout_error";
  }
  if (name === "AbortError") {
    const reason = (e["signal"] as { reason?: unknown } | undefined)?.reason ?? e["cause"];
    if (reason !== undefined && reason !== null && depth < MAX_CAUSE_DEPTH) {
      const inner = typeOf(reason, depth + 1);
      if (inner !== undefined && inner !== "processing_error") return inner;
    }
    return "timeout_error";
  }

  if (error instanceof RangeError && OUT_OF_MEMORY_MESSAGES.test(message)) return "resource_error";
  if (/ERR_OUT_OF_MEMORY|out of memory/i.test(message)) return "resource_error";

  if (name === "ReplyError" || name === "ReplyErrorNOAUTH") {
    if (REDIS_TEMPORARY.test(message)) return "temporary_error";
    if (REDIS_RESOURCE.test(message)) return "resource_error";
    if (REDIS_AUTH.test(message)) return "auth_error";
  }
  if (REDIS_AUTH.test(message)) return "auth_error";
  if (AMQP_AUTH.test(message)) return "auth_error";
  if (name === "MaxRetriesPerRequestError" || name === "IllegalOperationError") return "network_error";
  // ioredis `commandTimeout`: the server took too long to answer one command.
  if (/^command timed out$/i.test(message)) return "timeout_error";
  if (CONNECTION_MESSAGES.test(message)) return "network_error";

  if (status !== undefined) {
    const byStatus = statusType(status);
    if (byStatus !== undefined) return byStatus;
  }

  // fetch() wraps the socket error ("fetch failed", cause ECONNREFUSED); AggregateError holds several.
  if (depth < MAX_CAUSE_DEPTH) {
    const cause = e["cause"];
    if (cause !== undefined && cause !== error) {
      const inner = typeOf(cause, depth + 1);
      if (inner !== undefined) return inner;
    }
    const errors = e["errors"];
    if (Array.isArray(errors)) {
      for (const item of errors) {
        const inner = typeOf(item, depth + 1);
        if (inner !== undefined) return inner;
      }
    }
  }
  return undefined;
}

function awsType(name: string): ErrorType | undefined {
  if (NOT_FOUND_NAMES.has(name)) return "not_found";
  if (AUTH_NAMES.has(name)) return "auth_error";
  if (RATE_LIMIT_NAMES.has(name)) return "rate_limit";
  if (TEMPORARY_NAMES.has(name)) return "temporary_error";
  if (TIMEOUT_NAMES.has(name)) return "timeout_error";
  return undefined;
}

// better-sqlite3's SqliteError carries the extended result code, e.g. SQLITE_BUSY_SNAPSHOT.
function sqliteType(code: string): ErrorType | undefined {
  if (!code.startsWith("SQLITE_")) return undefined;
  if (/^SQLITE_(BUSY|LOCKED|PROTOCOL)/.test(code)) return "temporary_error";
  if (/^SQLITE_(FULL|NOMEM)/.test(code)) return "resource_error";
  if (/^SQLITE_(IOERR|CANTOPEN|READONLY)/.test(code)) return "temporary_error";
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return "resource_error";
  return undefined;
}

function statusType(status: number): ErrorType | undefined {
  if (status === 404) return "not_found";
  if (status === 401 || status === 403) return "auth_error";
  if (status === 429 || status === 503) return "rate_limit";
  if (status === 408) return "timeout_error";
  if (status === 500 || status === 502 || status === 504) return "temporary_error";
  return undefined;
}

function httpStatus(e: Record<string, unknown>): number | undefined {
  const metadata = e["$metadata"];
  const fromMetadata = metadata !== null && typeof metadata === "object" ? (metadata as Record<string, unknown>)["httpStatusCode"] : undefined;
  const candidates = [fromMetadata, e["statusCode"], e["status"], e["$response"] !== null && typeof e["$response"] === "object" ? (e["$response"] as Record<string, unknown>)["statusCode"] : undefined];
  for (const value of candidates) if (typeof value === "number" && Number.isInteger(value)) return value;
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function isDomException(value: unknown): boolean {
  return typeof DOMException !== "undefined" && value instanceof DOMException;
}
