import { normalizeHealthDataMessage, type HealthDataMessage } from "@narrative-engine/contracts";

/** A clock tests move by hand. */
export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

/** A fake clock starting near the real time. */
export function testClock(): TestClock {
  let t = 1_780_000_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** A valid message for `idempotencyKey`. */
export function testMessage(idempotencyKey: string, overrides: Record<string, unknown> = {}): HealthDataMessage {
  const parsed = normalizeHealthDataMessage({
    bucket: "health-data",
    key: `raw/BloodGlucoseRecord/${idempotencyKey}.avro`,
    user_id: "user-under-test",
    record_type: "AvroBloodGlucoseRecord",
    upload_timestamp_utc: "2026-11-01T10:00:00Z",
    file_size_bytes: 1234,
    message_id: `msg-${idempotencyKey}`,
    correlation_id: `corr-${idempotencyKey}`,
    idempotency_key: idempotencyKey,
    ...overrides,
  });
  if (!parsed.success) throw parsed.error;
  return parsed.message;
}

