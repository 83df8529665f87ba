import { deriveIdempotencyKey, parseHealthDataMessage } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { producerMessage, rawObjectKey } from "./producer-message.ts";

describe("rawObjectKey", () => {
  test.each([
    ["BloodGlucoseRecord", "user-1", Date.UTC(2025, 8, 20, 22, 25, 39, 312), "raw/BloodGlucoseRecord/2025/09/20/user-1_1758407139312.avro"],
    ["StepsRecord", "a/b c", Date.UTC(2026, 0, 2), "raw/StepsRecord/2026/01/02/a_b_c_1767312000000.avro"],
  ] as const)("%s for %s", (type, user, at, key) => {
    expect(rawObjectKey(type, user, at)).toBe(key);
  });
});

describe("producerMessage", () => {
  const bytes = Buffer.from("avro bytes");
  const wire = producerMessage({ bucket: "health-data", key: "raw/x.avro", userId: "u1", recordType: "HeartRateRecord", bytes, uploadedAtMs: Date.UTC(2025, 8, 20) });

  test("has the health-api producer's shape", () => {
    expect(Object.keys(wire).sort()).toEqual(["bucket", "correlation_id", "file_hash", "file_size_bytes", "key", "record_type", "upload_timestamp_utc", "user_id"]);
    expect(wire.record_type).toBe("AvroHeartRateRecord");
    expect(wire.file_size_bytes).toBe(bytes.byteLength);
    expect(wire.upload_timestamp_utc).toBe("2025-09-20T00:00:00.000Z");
  });

  test("parses with the contract, which derives the idempotency key from user and file hash", () => {
    const parsed = parseHealthDataMessage(JSON.stringify(wire));
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.message.recordType).toBe("HeartRateRecord");
    expect(parsed.message.idempotencyKeyDerived).toBe(true);
    expect(parsed.message.idempotencyKey).toBe(deriveIdempotencyKey("u1", wire.file_hash!));
  });

  test("a given correlation id is kept; otherwise each message gets its own", () => {
    expect(producerMessage({ bucket: "b", key: "k", userId: "u", recordType: "StepsRecord", bytes, uploadedAtMs: 0, correlationId: "c-1" }).correlation_id).toBe("c-1");
    const other = producerMessage({ bucket: "b", key: "k", userId: "u", recordType: "StepsRecord", bytes, uploadedAtMs: 0 });
    expect(other.correlation_id).not.toBe(wire.correlation_id);
  });
});
