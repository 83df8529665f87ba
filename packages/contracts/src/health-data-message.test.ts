import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  MAX_MESSAGE_BYTES,
  MessageValidationError,
  deriveIdempotencyKey,
  parseHealthDataMessage,
  type HealthDataMessage,
} from "./index.ts";

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;

const shapes = ["health-api", "message-queue", "module-spec"] as const;

function parseOk(body: unknown): HealthDataMessage {
  const result = parseHealthDataMessage(JSON.stringify(body));
  if (!result.success) throw result.error;
  return result.message;
}

function parseErr(body: unknown): MessageValidationError {
  const result = parseHealthDataMessage(typeof body === "string" ? body : JSON.stringify(body));
  if (result.success) throw new Error("expected a rejection");
  return result.error;
}

/** The fields every producer shape carries, which must normalise identically. */
function common(m: HealthDataMessage) {
  return {
    bucket: m.bucket,
    key: m.key,
    userId: m.userId,
    recordType: m.recordType,
    uploadTimestampUtc: m.uploadTimestampUtc,
    fileSizeBytes: m.fileSizeBytes,
    contentHash: m.contentHash,
    correlationId: m.correlationId,
    idempotencyKey: m.idempotencyKey,
    recordCount: m.recordCount,
  };
}

describe("HealthDataMessage: the three producer shapes", () => {
  test.each(shapes)("%s parses", (shape) => {
    const m = parseOk(fixture(shape));
    expect(m.recordType).toBe("BloodGlucoseRecord");
    expect(m.idempotencyKey).toMatch(/^[0-9a-f]{16}$/);
  });

  test("all three normalise to the same form", () => {
    const [a, b, c] = shapes.map((s) => common(parseOk(fixture(s))));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  test("health-api: the idempotency key is derived as the producer does", () => {
    const body = fixture("health-api");
    const m = parseOk(body);
    expect(m.idempotencyKeyDerived).toBe(true);
    expect(m.idempotencyKey).toBe(deriveIdempotencyKey("user-123", body["file_hash"] as string));
    expect(m.idempotencyKey).toBe("80f5b0377bbcbe3f");
    expect(m.messageId).toBeUndefined();
    expect(m.retryCount).toBe(0);
  });

  test("message-queue publisher: ids, retries and priority are kept", () => {
    const m = parseOk(fixture("message-queue"));
    expect(m).toMatchObject({ messageId: "msg-0001", retryCount: 1, maxRetries: 3, priority: "normal", idempotencyKeyDerived: false });
  });

  test("module spec: priority and unknown fields are kept", () => {
    const m = parseOk(fixture("module-spec"));
    expect(m.priority).toBe("high");
    expect(m.extra).toEqual({ producer_version: "2.4.1" });
  });

  test("health_metadata is passed through", () => {
    const m = parseOk({ ...fixture("health-api"), health_metadata: { user_timezone_offset: "-05:00", age: 41 } });
    expect(m.healthMetadata).toEqual({ user_timezone_offset: "-05:00", age: 41 });
  });

  test("the correlation id falls back to the message id, then to the idempotency key", () => {
    const { correlation_id: _c, ...noCorrelation } = fixture("message-queue");
    expect(parseOk(noCorrelation).correlationId).toBe("msg-0001");
    const { correlation_id: _d, ...bare } = fixture("health-api");
    expect(parseOk(bare).correlationId).toBe("80f5b0377bbcbe3f");
  });

  test("null optional fields count as absent", () => {
    const m = parseOk({ ...fixture("health-api"), message_id: null, retry_count: null, health_metadata: null });
    expect(m.messageId).toBeUndefined();
    expect(m.retryCount).toBe(0);
    expect(m.healthMetadata).toBeUndefined();
  });

  test("bytes parse like text", () => {
    const result = parseHealthDataMessage(Buffer.from(JSON.stringify(fixture("module-spec"))));
    expect(result.success).toBe(true);
  });

  test("a __proto__ key never reaches the parsed message", () => {
    const text = JSON.stringify(fixture("health-api")).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const result = parseHealthDataMessage(text);
    expect(result.success).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    if (result.success) expect(Object.keys(result.message.extra)).toEqual([]);
  });
});

describe("HealthDataMessage: rejections name the field", () => {
  const base = fixture("health-api");
  const without = (field: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));

  test.each([
    ["missing bucket", without("bucket"), "bucket", /required/],
    ["missing key", without("key"), "key", /required/],
    ["missing user_id", without("user_id"), "user_id", /required/],
    ["missing record_type", without("record_type"), "record_type", /required/],
    ["missing upload_timestamp_utc", without("upload_timestamp_utc"), "upload_timestamp_utc", /required/],
    ["missing file_size_bytes", without("file_size_bytes"), "file_size_bytes", /required/],
    ["non-string key", { ...base, key: 42 }, "key", /string/],
    ["empty bucket", { ...base, bucket: "" }, "bucket", /empty/],
    ["unknown record type", { ...base, record_type: "WeightRecord" }, "record_type", /unknown record type/],
    ["negative size", { ...base, file_size_bytes: -1 }, "file_size_bytes", /negative/],
    ["fractional size", { ...base, file_size_bytes: 1.5 }, "file_size_bytes", /integer/],
    ["bad timestamp", { ...base, upload_timestamp_utc: "yesterday" }, "upload_timestamp_utc", /ISO 8601/],
    ["bad hash", { ...base, file_hash: "abc" }, "file_hash", /sha256/],
    ["negative retry count", { ...base, retry_count: -2 }, "retry_count", /negative/],
    ["health_metadata not an object", { ...base, health_metadata: "x" }, "health_metadata", /object|record/i],
    ["no hash and no key", without("file_hash"), "idempotency_key", /required/],
  ])("%s", (_label, body, field, reason) => {
    const error = parseErr(body);
    expect(error).toBeInstanceOf(MessageValidationError);
    expect(error.field).toBe(field);
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(field);
    expect(error.errorType).toBe("validation_error");
  });

  test.each([
    ["a JSON array", "[1,2]", /array/],
    ["a JSON string", '"hello"', /JSON object/],
    ["JSON null", "null", /null/],
    ["a number", "42", /JSON object/],
    ["not JSON", "{bucket:", /not valid JSON/],
    ["empty", "", /not valid JSON/],
  ])("a body that is %s is rejected as the body", (_label, text, reason) => {
    const error = parseErr(text);
    expect(error.field).toBe("(body)");
    expect(error.reason).toMatch(reason);
  });

  test("invalid UTF-8 is rejected", () => {
    const result = parseHealthDataMessage(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.reason).toMatch(/UTF-8/);
  });

  test("a body over 64 KiB is rejected unparsed", () => {
    const big = JSON.stringify({ ...base, padding: "x".repeat(MAX_MESSAGE_BYTES) });
    const error = parseErr(big);
    expect(error.field).toBe("(body)");
    expect(error.reason).toMatch(/65536-byte limit/);
  });

  test("deep nesting is rejected", () => {
    const deep = `{"health_metadata":${"[".repeat(200)}${"]".repeat(200)}}`;
    const error = parseErr(JSON.stringify({ ...base, nested: JSON.parse(deep) as unknown }));
    expect(error.field).toBe("(body)");
    expect(error.reason).toMatch(/nested deeper/);
  });
});
