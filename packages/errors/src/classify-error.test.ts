import { createConnection, createServer } from "node:net";
import { DataQualityError as ContractsDataQualityError, MessageValidationError, ProcessingError as ContractsProcessingError, type ErrorType } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { classifyError } from "./classify-error.ts";
import { EtlError } from "./etl-error.ts";
import { FileTooLargeError } from "./file-too-large-error.ts";
import { AuthError, NotFoundError, ProcessingError } from "./permanent-errors.ts";
import { NetworkError, TimeoutError } from "./transient-errors.ts";

// A port nothing listens on: bind an ephemeral one, then close it.
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function aws(name: string, httpStatusCode: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} from S3`), { name, $fault: httpStatusCode >= 500 ? "server" : "client", $metadata: { httpStatusCode, attempts: 1 }, ...extra });
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

const cases: ReadonlyArray<[string, unknown, ErrorType]> = [
  // AWS SDK v3, by name / Code / status
  ["AWS NoSuchKey", aws("NoSuchKey", 404), "not_found"],
  ["AWS NotFound (HeadObject)", aws("NotFound", 404), "not_found"],
  ["AWS NoSuchBucket", aws("NoSuchBucket", 404), "not_found"],
  ["AWS unknown name with 404", aws("UnknownError", 404), "not_found"],
  ["plain object with Code NoSuchKey", { Code: "NoSuchKey", message: "The specified key does not exist." }, "not_found"],
  ["AWS AccessDenied", aws("AccessDenied", 403), "auth_error"],
  ["AWS InvalidAccessKeyId", aws("InvalidAccessKeyId", 403), "auth_error"],
  ["AWS SignatureDoesNotMatch", aws("SignatureDoesNotMatch", 403), "auth_error"],
  ["AWS unknown name with 403", aws("Whatever", 403), "auth_error"],
  ["AWS unknown name with 401", aws("Whatever", 401), "auth_error"],
  ["AWS SlowDown", aws("SlowDown", 503), "rate_limit"],
  ["AWS 503 ServiceUnavailable", aws("ServiceUnavailable", 503), "rate_limit"],
  ["AWS unknown name with 503", aws("Unknown", 503), "rate_limit"],
  ["AWS RequestLimitExceeded", aws("RequestLimitExceeded", 400), "rate_limit"],
  ["AWS Throttling", aws("Throttling", 400), "rate_limit"],
  ["AWS ThrottlingException", aws("ThrottlingException", 400), "rate_limit"],
  ["HTTP 429 status", { name: "HttpError", message: "Too Many Requests", statusCode: 429 }, "rate_limit"],
  ["AWS InternalError 500", aws("InternalError", 500), "temporary_error"],
  ["AWS unknown 502", aws("BadGateway", 502), "temporary_error"],
  ["AWS RequestTimeout", aws("RequestTimeout", 400), "timeout_error"],
  ["AWS SDK socket timeout (TimeoutError name)", named("TimeoutError", "Socket timed out without establishing a connection within 1000 ms"), "network_error"],
  ["AWS SDK connection timeout (TimeoutError name)", named("TimeoutError", "Connection timed out after 5000 ms"), "network_error"],
  // Node system errors
  ["ECONNREFUSED", withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"), "network_error"],
  ["ECONNRESET", withCode("read ECONNRESET", "ECONNRESET"), "network_error"],
  ["ETIMEDOUT", withCode("connect ETIMEDOUT", "ETIMEDOUT"), "network_error"],
  ["EPIPE", withCode("write EPIPE", "EPIPE"), "network_error"],
  ["EHOSTUNREACH", withCode("connect EHOSTUNREACH", "EHOSTUNREACH"), "network_error"],
  ["ENOTFOUND", withCode("getaddrinfo ENOTFOUND s3.example", "ENOTFOUND"), "network_error"],
  ["EAI_AGAIN", withCode("getaddrinfo EAI_AGAIN s3.example", "EAI_AGAIN"), "network_error"],
  ["socket hang up", withCode("socket hang up", "ECONNRESET"), "network_error"],
  ["socket hang up without a code", new Error("socket hang up"), "network_error"],
  ["fetch failed with an ECONNREFUSED cause", new TypeError("fetch failed", { cause: withCode("connect ECONNREFUSED", "ECONNREFUSED") }), "network_error"],
  ["AggregateError of connection failures", Object.assign(new AggregateError([withCode("connect ECONNREFUSED ::1:6379", "ECONNREFUSED")], ""), { code: "ECONNREFUSED" }), "network_error"],
  // Timeouts and aborts
  ["DOMException TimeoutError (AbortSignal.timeout)", new DOMException("The operation was aborted due to timeout", "TimeoutError"), "timeout_error"],
  ["DOMException AbortError", new DOMException("This operation was aborted", "AbortError"), "timeout_error"],
  ["AbortError whose signal reason is a timeout", Object.assign(named("AbortError", "aborted"), { signal: { reason: new DOMException("timeout", "TimeoutError") } }), "timeout_error"],
  ["AbortError carrying a network cause", Object.assign(named("AbortError", "aborted"), { cause: withCode("read ECONNRESET", "ECONNRESET") }), "network_error"],
  // Running out of resources
  ["RangeError Array buffer allocation failed", new RangeError("Array buffer allocation failed"), "resource_error"],
  ["RangeError Invalid array length", new RangeError("Invalid array length"), "resource_error"],
  ["ERR_OUT_OF_MEMORY code", withCode("Cannot create a Buffer larger than 4 GiB", "ERR_OUT_OF_MEMORY"), "resource_error"],
  ["ENOMEM code", withCode("spawn ENOMEM", "ENOMEM"), "resource_error"],
  ["ENOSPC code", withCode("ENOSPC: no space left on device", "ENOSPC"), "resource_error"],
  // ioredis
  ["ioredis Connection is closed", new Error("Connection is closed."), "network_error"],
  ["ioredis offline queue disabled", new Error("Stream isn't writeable and enableOfflineQueue options is false"), "network_error"],
  ["ioredis MaxRetriesPerRequestError", named("MaxRetriesPerRequestError", "Reached the max retries per request limit (which is 1). Refer to \"maxRetriesPerRequest\" option for details."), "network_error"],
  ["ioredis commandTimeout", new Error("Command timed out"), "timeout_error"],
  ["Redis LOADING reply", named("ReplyError", "LOADING Redis is loading the dataset in memory"), "temporary_error"],
  ["Redis OOM reply", named("ReplyError", "OOM command not allowed when used memory > 'maxmemory'."), "resource_error"],
  ["Redis NOAUTH reply", named("ReplyError", "NOAUTH Authentication required."), "auth_error"],
  ["Redis WRONGPASS reply", named("ReplyError", "WRONGPASS invalid username-password pair or user is disabled."), "auth_error"],
  // amqplib
  ["amqplib Channel closed", named("IllegalOperationError", "Channel closed"), "network_error"],
  ["amqplib Connection closed", new Error("Connection closed: 320 (CONNECTION-FORCED) with message \"CONNECTION_FORCED - broker forced connection closure\""), "network_error"],
  ["amqplib Channel ended", new Error("Channel ended, no reply will be forthcoming"), "network_error"],
  ["amqplib access refused", new Error("Handshake terminated by server: 403 (ACCESS-REFUSED) with message \"ACCESS_REFUSED - Login was refused\""), "auth_error"],
  // better-sqlite3
  ["SQLITE_BUSY", Object.assign(named("SqliteError", "database is locked"), { code: "SQLITE_BUSY" }), "temporary_error"],
  ["SQLITE_BUSY_SNAPSHOT", Object.assign(named("SqliteError", "database is locked"), { code: "SQLITE_BUSY_SNAPSHOT" }), "temporary_error"],
  ["SQLITE_FULL", Object.assign(named("SqliteError", "database or disk is full"), { code: "SQLITE_FULL" }), "resource_error"],
  ["SQLITE_CONSTRAINT is a bug, not transient", Object.assign(named("SqliteError", "UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_PRIMARYKEY" }), "processing_error"],
  // Anything carrying a valid errorType
  ["contracts ProcessingError", new ContractsProcessingError("processor broke"), "processing_error"],
  ["contracts DataQualityError", new ContractsDataQualityError("too few readings"), "data_quality"],
  ["contracts MessageValidationError", new MessageValidationError("bucket", "must not be empty"), "validation_error"],
  ["plain object with errorType", { errorType: "schema_error", message: "wrong schema" }, "schema_error"],
  ["object with an invalid errorType", { errorType: "bogus", message: "?" }, "processing_error"],
  // Unknown things
  ["plain Error", new Error("something odd"), "processing_error"],
  ["TypeError from a bug", new TypeError("Cannot read properties of undefined (reading 'x')"), "processing_error"],
  ["RangeError that is not about memory", new RangeError("Maximum call stack size exceeded"), "processing_error"],
  ["thrown string", "boom", "processing_error"],
  ["thrown empty string", "", "processing_error"],
  ["thrown number", 42, "processing_error"],
  ["null", null, "processing_error"],
  ["undefined", undefined, "processing_error"],
  ["empty object", {}, "processing_error"],
  ["AWS 400 with an unknown name", aws("InvalidArgument", 400), "processing_error"],
];

describe("classifyError", () => {
  test.each(cases)("%s → %s", (_label, thrown, expected) => {
    const classified = classifyError(thrown);
    expect(classified).toBeInstanceOf(EtlError);
    expect(classified.errorType).toBe(expected);
    expect(typeof classified.message).toBe("string");
    expect(classified.message.length).toBeGreaterThan(0);
    if (thrown !== undefined && thrown !== null) expect(classified.cause).toBe(thrown);
  });

  test.each([
    ["network_error", NetworkError, true],
    ["timeout_error", TimeoutError, true],
    ["not_found", NotFoundError, false],
    ["auth_error", AuthError, false],
    ["processing_error", ProcessingError, false],
  ] as const)("%s becomes a %o with retriable %s", (type, cls, retriable) => {
    const source = { errorType: type, message: "x" };
    const classified = classifyError(source);
    expect(classified).toBeInstanceOf(cls);
    expect(classified.retriable).toBe(retriable);
  });

  test("an EtlError passes through unchanged", () => {
    const original = new FileTooLargeError(1024);
    expect(classifyError(original)).toBe(original);
    const overridden = new EtlError("network_error", "not worth retrying", { retriable: false });
    expect(classifyError(overridden)).toBe(overridden);
  });

  test("thrown strings, null and undefined get useful messages", () => {
    expect(classifyError("disk exploded").message).toBe("disk exploded");
    expect(classifyError(undefined).message).toMatch(/undefined was thrown/);
    expect(classifyError(null).message).toMatch(/null was thrown/);
  });

  test("the original stack frames are kept under the new header", () => {
    function deepFunctionName(): Error {
      return new Error("original failure");
    }
    const original = deepFunctionName();
    const classified = classifyError(original);
    expect(classified.stack).toMatch(/^ProcessingError: original failure\n/);
    expect(classified.stack).toContain("deepFunctionName");
  });

  test("a hostile object never makes classifyError throw", () => {
    const hostile = new Proxy({}, { get: () => { throw new Error("trap"); }, has: () => { throw new Error("trap"); } });
    const classified = classifyError(hostile);
    expect(classified.errorType).toBe("processing_error");
  });

  test("a real refused connection is a network_error", async () => {
    const port = await closedPort();
    const error = await new Promise<unknown>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.on("error", resolve);
      socket.on("connect", () => { socket.destroy(); resolve(new Error("unexpectedly connected")); });
    });
    expect(classifyError(error).errorType).toBe("network_error");
  });

  test("a real AbortSignal.timeout() abort is a timeout_error", async () => {
    const signal = AbortSignal.timeout(1);
    const reason = await new Promise<unknown>((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));
    expect(classifyError(reason).errorType).toBe("timeout_error");
  });

  test("a real failed array allocation is a resource_error", () => {
    let thrown: unknown;
    try {
      new ArrayBuffer(Number.MAX_SAFE_INTEGER);
    } catch (error) {
      thrown = error;
    }
    expect(classifyError(thrown).errorType).toBe("resource_error");
  });
});
