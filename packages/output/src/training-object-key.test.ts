import { MessageValidationError } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { isSafeKeySegment, normalizeTrainingPrefix, trainingObjectKey } from "./index.ts";

describe("trainingObjectKey", () => {
  test.each([
    [{ domain: "metabolic_diabetes", dataStart: "2025-09-20T05:00:00Z", idempotencyKey: "a1b2c3d4e5f60718" }, "training/metabolic_diabetes/2025/09/a1b2c3d4e5f60718.jsonl"],
    // The UTC month of the data, not the local one: 23:30 at -05:00 on 31 Dec is already January in UTC.
    [{ domain: "sleep_wellness", dataStart: "2025-12-31T23:30:00-05:00", idempotencyKey: "k" }, "training/sleep_wellness/2026/01/k.jsonl"],
    [{ domain: "physical_activity", dataStart: Date.UTC(2025, 0, 31, 23, 59), idempotencyKey: "k" }, "training/physical_activity/2025/01/k.jsonl"],
    [{ domain: "cardiovascular_fitness", dataStart: new Date("2024-02-29T00:00:00Z"), idempotencyKey: "k" }, "training/cardiovascular_fitness/2024/02/k.jsonl"],
    // No data start: the upload time files it.
    [{ domain: "physical_activity", dataStart: null, fallbackTime: "2025-10-01T00:00:00Z", idempotencyKey: "k" }, "training/physical_activity/2025/10/k.jsonl"],
    [{ domain: "physical_activity", dataStart: "garbage", fallbackTime: "2025-10-01T00:00:00Z", idempotencyKey: "k" }, "training/physical_activity/2025/10/k.jsonl"],
    [{ prefix: "out", domain: "sleep_wellness", dataStart: "2025-09-20T05:00:00Z", idempotencyKey: "k" }, "out/sleep_wellness/2025/09/k.jsonl"],
    [{ prefix: "", domain: "sleep_wellness", dataStart: "2025-09-20T05:00:00Z", idempotencyKey: "k" }, "sleep_wellness/2025/09/k.jsonl"],
    [{ domain: "sleep_wellness", dataStart: "2025-09-20T05:00:00Z", idempotencyKey: "550e8400-e29b-41d4-a716-446655440000" }, "training/sleep_wellness/2025/09/550e8400-e29b-41d4-a716-446655440000.jsonl"],
  ] as const)("%j → %s", (input, key) => {
    expect(trainingObjectKey(input)).toBe(key);
  });

  test.each([[""], ["."], [".."], ["a/b"], ["../etc"], ["a\\b"], ["a b"], ["ключ"], ["a".repeat(129)], [".hidden"], ["k\n"]])(
    "rejects the idempotency key %j as a validation_error",
    (key) => {
      const call = () => trainingObjectKey({ domain: "sleep_wellness", dataStart: "2025-09-20T05:00:00Z", idempotencyKey: key });
      expect(call).toThrow(MessageValidationError);
      expect(call).toThrow(/idempotency_key/);
    },
  );

  test("accepts a 128-character key", () => {
    expect(isSafeKeySegment("a".repeat(128))).toBe(true);
  });

  test("rejects an unknown domain and a missing time", () => {
    expect(() => trainingObjectKey({ domain: "mood" as never, dataStart: 0, idempotencyKey: "k" })).toThrow(/unknown health domain/);
    expect(() => trainingObjectKey({ domain: "sleep_wellness", idempotencyKey: "k" })).toThrow(/needs a data start or a fallback time/);
    expect(() => trainingObjectKey({ domain: "sleep_wellness", dataStart: 8.64e15 + 1, idempotencyKey: "k" })).toThrow(RangeError);
  });

  test.each([
    ["", ""],
    ["training", "training/"],
    ["training/", "training/"],
  ])("prefix %j normalises to %j", (prefix, normal) => {
    expect(normalizeTrainingPrefix(prefix)).toBe(normal);
  });
});
