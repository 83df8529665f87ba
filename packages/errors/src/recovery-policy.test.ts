import { ERROR_TYPES, type ErrorType } from "@narrative-engine/contracts";
import { describe, expect, test } from "vitest";
import { DEFAULT_RETRY_DELAYS_MS, RecoveryPolicy, type RecoveryDecision } from "./recovery-policy.ts";

const policy = new RecoveryPolicy();

const decisions: ReadonlyArray<[ErrorType, number, RecoveryDecision]> = [
  ["data_quality", 0, { action: "quarantine" }],
  ["data_quality", 5, { action: "quarantine" }],
  ["schema_error", 0, { action: "quarantine" }],
  ["validation_error", 0, { action: "quarantine" }],
  ["auth_error", 0, { action: "dead_letter", alert: true }],
  ["auth_error", 3, { action: "dead_letter", alert: true }],
  ["not_found", 0, { action: "dead_letter", alert: false }],
  ["processing_error", 0, { action: "dead_letter", alert: false }],
  ["network_error", 0, { action: "retry", delayMs: 30_000, retryNumber: 1 }],
  ["network_error", 1, { action: "retry", delayMs: 300_000, retryNumber: 2 }],
  ["network_error", 2, { action: "retry", delayMs: 900_000, retryNumber: 3 }],
  ["network_error", 3, { action: "dead_letter", alert: false }],
  ["network_error", 10, { action: "dead_letter", alert: false }],
  ["temporary_error", 0, { action: "retry", delayMs: 30_000, retryNumber: 1 }],
  ["temporary_error", 3, { action: "dead_letter", alert: false }],
  ["rate_limit", 1, { action: "retry", delayMs: 300_000, retryNumber: 2 }],
  ["rate_limit", 3, { action: "dead_letter", alert: false }],
  ["resource_error", 2, { action: "retry", delayMs: 900_000, retryNumber: 3 }],
  ["resource_error", 3, { action: "dead_letter", alert: false }],
  ["timeout_error", 0, { action: "retry", delayMs: 30_000, retryNumber: 1 }],
  ["timeout_error", 3, { action: "dead_letter", alert: false }],
];

describe("RecoveryPolicy defaults", () => {
  test.each(decisions)("%s after %i retries → %o", (type, attempt, expected) => {
    expect(policy.decide(type, attempt)).toEqual(expected);
  });

  test("every error type has a decision", () => {
    for (const type of ERROR_TYPES) expect(["retry", "quarantine", "dead_letter"]).toContain(policy.decide(type, 0).action);
  });

  test("exposes its delays and max retries", () => {
    expect(policy.delays).toEqual(DEFAULT_RETRY_DELAYS_MS);
    expect(policy.maxRetries).toBe(3);
  });
});

describe("RecoveryPolicy options", () => {
  test.each([
    [{ retryDelaysMs: [1_000], maxRetries: 3 }, 0, { action: "retry", delayMs: 1_000, retryNumber: 1 }],
    [{ retryDelaysMs: [1_000], maxRetries: 3 }, 2, { action: "retry", delayMs: 1_000, retryNumber: 3 }],
    [{ retryDelaysMs: [1_000, 2_000], maxRetries: 5 }, 4, { action: "retry", delayMs: 2_000, retryNumber: 5 }],
    [{ retryDelaysMs: [1_000, 2_000], maxRetries: 5 }, 5, { action: "dead_letter", alert: false }],
    [{ maxRetries: 0 }, 0, { action: "dead_letter", alert: false }],
    [{ retryDelaysMs: [0] }, 0, { action: "retry", delayMs: 0, retryNumber: 1 }],
  ] as const)("%o, network_error after %i retries → %o", (options, attempt, expected) => {
    expect(new RecoveryPolicy(options).decide("network_error", attempt)).toEqual(expected);
  });

  test.each([
    [{ retryDelaysMs: [] }, /non-empty/],
    [{ retryDelaysMs: [-1] }, /retryDelaysMs\[0\]/],
    [{ retryDelaysMs: [1_000, Number.NaN] }, /retryDelaysMs\[1\]/],
    [{ retryDelaysMs: [1.5] }, /retryDelaysMs\[0\]/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ maxRetries: 1.5 }, /maxRetries/],
  ])("rejects %o", (options, message) => {
    expect(() => new RecoveryPolicy(options)).toThrow(message);
  });

  test.each([-1, 0.5, Number.NaN])("rejects attempt %d", (attempt) => {
    expect(() => policy.decide("network_error", attempt)).toThrow(/attempt/);
  });

  test("rejects an unknown error type", () => {
    expect(() => policy.decide("bogus" as ErrorType, 0)).toThrow(/unknown error type/);
  });

  test("copies and freezes the delays it was given", () => {
    const delays = [1_000, 2_000];
    const custom = new RecoveryPolicy({ retryDelaysMs: delays });
    delays[0] = 5;
    expect(custom.delays).toEqual([1_000, 2_000]);
    expect(Object.isFrozen(custom.delays)).toBe(true);
  });
});
