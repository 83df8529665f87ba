import { ERROR_TYPES, isRetriableErrorType, type ErrorType } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { createEtlError, fromUnknown } from "./create-etl-error.ts";
import { errorMessage } from "./error-message.ts";
import { EtlError } from "./etl-error.ts";
import { FileTooLargeError } from "./file-too-large-error.ts";
import { AuthError, DataQualityError, NotFoundError, ProcessingError, SchemaError, ValidationError } from "./permanent-errors.ts";
import { NetworkError, RateLimitError, ResourceError, TemporaryError, TimeoutError } from "./transient-errors.ts";

const classes: ReadonlyArray<[new (message: string) => EtlError, ErrorType, boolean]> = [
  [NetworkError, "network_error", true],
  [TimeoutError, "timeout_error", true],
  [RateLimitError, "rate_limit", true],
  [TemporaryError, "temporary_error", true],
  [ResourceError, "resource_error", true],
  [NotFoundError, "not_found", false],
  [AuthError, "auth_error", false],
  [SchemaError, "schema_error", false],
  [ValidationError, "validation_error", false],
  [DataQualityError, "data_quality", false],
  [ProcessingError, "processing_error", false],
];

describe("error classes", () => {
  test.each(classes)("%o has type %s and retriable %s", (Cls, type, retriable) => {
    const error = new Cls("msg");
    expect(error).toBeInstanceOf(EtlError);
    expect(error).toBeInstanceOf(Error);
    expect(error.errorType).toBe(type);
    expect(error.retriable).toBe(retriable);
    expect(error.name).toBe(Cls.name);
    expect(error.message).toBe("msg");
    expect(String(error.stack)).toMatch(new RegExp(`^${Cls.name}: msg`));
  });

  test.each(ERROR_TYPES.map((t) => [t]))("createEtlError(%s) builds the matching subclass", (type) => {
    const error = createEtlError(type, "m");
    expect(error.errorType).toBe(type);
    expect(error.retriable).toBe(isRetriableErrorType(type));
    expect(error.constructor).not.toBe(EtlError);
  });

  test("retriable can be overridden", () => {
    expect(new NetworkError("x", { retriable: false }).retriable).toBe(false);
    expect(new EtlError("processing_error", "x", { retriable: true }).retriable).toBe(true);
  });

  test("cause is kept", () => {
    const cause = new Error("inner");
    expect(new TemporaryError("outer", { cause }).cause).toBe(cause);
    expect("cause" in new TemporaryError("no cause")).toBe(false);
  });

  test("RateLimitError carries retryAfterMs", () => {
    expect(new RateLimitError("slow down", { retryAfterMs: 2_000 }).retryAfterMs).toBe(2_000);
    expect(new RateLimitError("slow down").retryAfterMs).toBeUndefined();
  });

  test("FileTooLargeError is a permanent validation error that states its limit", () => {
    const error = new FileTooLargeError(52_428_800, { actualBytes: 52_500_000 });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errorType).toBe("validation_error");
    expect(error.retriable).toBe(false);
    expect(error.limitBytes).toBe(52_428_800);
    expect(error.actualBytes).toBe(52_500_000);
    expect(error.message).toContain("52428800 bytes");
    expect(error.name).toBe("FileTooLargeError");
    expect(new FileTooLargeError(10).message).toBe("file is larger than the limit of 10 bytes");
  });
});

describe("fromUnknown", () => {
  test("wraps with the given type and keeps the cause and its frames", () => {
    const cause = new Error("socket closed");
    const wrapped = fromUnknown(cause, "network_error");
    expect(wrapped).toBeInstanceOf(NetworkError);
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.message).toBe("socket closed");
    expect(wrapped.stack).toMatch(/^NetworkError: socket closed\n\s+at /);
  });

  test("defaults to processing_error and accepts a message", () => {
    const wrapped = fromUnknown("text", undefined, "processor failed");
    expect(wrapped).toBeInstanceOf(ProcessingError);
    expect(wrapped.message).toBe("processor failed");
  });

  test("returns an EtlError unchanged", () => {
    const error = new AuthError("no");
    expect(fromUnknown(error, "network_error")).toBe(error);
  });
});

describe("errorMessage", () => {
  test.each([
    [new Error("plain"), "plain"],
    ["a string", "a string"],
    ["", "an empty string was thrown"],
    [undefined, "undefined was thrown (no error details)"],
    [null, "null was thrown (no error details)"],
    [42, "number 42 was thrown"],
    [{ message: "from object" }, "from object"],
    [{ name: "NoSuchKey", Code: "NoSuchKey", message: "" }, "NoSuchKey (NoSuchKey)"],
    [{ a: 1 }, 'non-error value was thrown: {"a":1}'],
    [new AggregateError([new Error("one"), new Error("two")], ""), "one; two"],
    [new Error(""), "error without a message"],
  ] as const)("%o → %s", (value, expected) => {
    expect(errorMessage(value)).toBe(expected);
  });

  test("never throws, even for circular or hostile values", () => {
    const circular: Record<string, unknown> = {};
    circular["self"] = circular;
    expect(typeof errorMessage(circular)).toBe("string");
    const hostile = new Proxy({}, { get: () => { throw new Error("trap"); } });
    expect(errorMessage(hostile)).toBe("an unprintable value was thrown");
  });

  test("truncates very long messages", () => {
    expect(errorMessage("x".repeat(5_000)).length).toBeLessThanOrEqual(1_001);
  });
});
