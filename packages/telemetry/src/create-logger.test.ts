import { describe, expect, test } from "vitest";
import { createLogger, deliveryLogger, outcomeLogLevel, redactFields, redactUrl, REDACTED, type LoggerOptions } from "./create-logger.ts";

function capture(options: LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger({ name: "test", ...options, destination: { write: (line: string) => void lines.push(line) } });
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, parsed };
}

const SECRETS = {
  password: "Pa55-word-7731",
  s3Secret: "wJalrXUtnFEMI-K7MDENG-bPxRfiCY",
  s3Access: "AKIA-TEST-ACCESS-93",
  bearer: "Bearer eyJhbGciOiJIUzI1NiJ9.secret-token",
  userId: "user-8842-f00d",
  objectKey: "raw/user-8842-f00d/BloodGlucoseRecord/2026-11-29.avro",
  narrative: "Average glucose was 162 mg/dL with 4 readings above 250 mg/dL after dinner.",
  recordValue: "mmol-value-9.87",
  apiToken: "tok_live_5512",
};

describe("createLogger redaction", () => {
  test("a full set of log calls leaves no credential, user id, key, narrative or record value in the output", () => {
    const { logger, lines } = capture();
    const amqp = `amqp://etl:${SECRETS.password}@rabbitmq:5672/prod`;
    const redis = `redis://default:${SECRETS.password}@redis:6379/0`;

    logger.info({ rabbitmqUrl: amqp, redisUrl: redis, password: SECRETS.password }, "connecting");
    logger.info(`connecting to ${amqp}`);
    logger.info({ config: { s3: { accessKey: SECRETS.s3Access, secretAccessKey: SECRETS.s3Secret, endpoint: "http://minio:9000" } } }, "config loaded");
    logger.warn({ headers: { authorization: SECRETS.bearer }, token: SECRETS.apiToken, apiKey: SECRETS.apiToken }, "request");
    logger.info({ message: { userId: SECRETS.userId, user_id: SECRETS.userId, key: SECRETS.objectKey, bucket: "health-data" } }, "message received");
    logger.info({ s3Key: SECRETS.objectKey, userId: SECRETS.userId }, "downloading");
    logger.info({ result: { narrative: SECRETS.narrative, narrativePreview: SECRETS.narrative.slice(0, 40), clinicalInsights: { mean_mg_dl: 162 } } }, "processed");
    logger.info({ records: [{ level: SECRETS.recordValue }], samples: [{ bpm: 72 }], values: [SECRETS.recordValue] }, "decoded");
    logger.info({ a: { b: { c: { password: SECRETS.password } } } }, "deeply nested");
    logger.info({ health_metadata: { age: 61, note: SECRETS.recordValue } }, "metadata");
    logger.error({ err: new Error(`cannot connect to ${amqp}`) }, "broker failed");
    logger.error({ err: new Error("outer", { cause: new Error(`inner ${redis}`) }) }, "nested cause");

    const child = deliveryLogger(logger, { correlationId: "corr-1", idempotencyKey: "idem-1", recordType: "BloodGlucoseRecord", attempt: 0 });
    child.info({ narrative: SECRETS.narrative, userId: SECRETS.userId }, "finished");
    const bound = logger.child({ userId: SECRETS.userId, password: SECRETS.password });
    bound.info("child with sensitive bindings");
    logger.debug({ narrative: SECRETS.narrative }, "debug is below info and not written");

    const output = lines.join("");
    expect(lines.length).toBe(14);
    for (const [name, secret] of Object.entries(SECRETS)) expect(output, name).not.toContain(secret);
    expect(output).toContain(REDACTED);
    expect(output).toContain("amqp://***@rabbitmq:5672/prod");
    expect(output).toContain("http://minio:9000");
    expect(output).toContain('"bucket":"health-data"');
  });

  test("lines are JSON with level label, time, name, message and delivery context", () => {
    const { logger, parsed } = capture();
    deliveryLogger(logger, { correlationId: "corr-9", idempotencyKey: "idem-9", recordType: "StepsRecord", attempt: 2 }).warn({ outcome: "retry" }, "message retried");
    const [line] = parsed();
    expect(line).toMatchObject({
      level: "warn",
      name: "test",
      msg: "message retried",
      correlation_id: "corr-9",
      idempotency_key: "idem-9",
      record_type: "StepsRecord",
      attempt: 2,
      outcome: "retry",
    });
    expect(typeof line?.["time"]).toBe("string");
  });

  test("errors are serialised with type, errorType and a scrubbed message", () => {
    const { logger, parsed } = capture();
    const error = Object.assign(new Error("download failed from https://key:secret@s3.local/bucket"), { errorType: "network_error", records: [1, 2] });
    logger.error({ err: error }, "failed");
    const err = parsed()[0]?.["err"] as Record<string, unknown>;
    expect(err).toMatchObject({ type: "Error", errorType: "network_error", message: "download failed from https://***@s3.local/bucket" });
    expect(err["records"]).toBeUndefined();
  });

  test("the level option filters lower levels", () => {
    const { logger, lines } = capture({ level: "warn" });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines).toHaveLength(1);
  });
});

describe("redactFields", () => {
  test("censors at depth, inside arrays and class instances, without touching the caller's object", () => {
    class Message {
      constructor(
        readonly userId: string,
        readonly bucket: string,
      ) {}
    }
    const input = {
      a: { b: { c: { d: { e: { narrative: "deep" } } } } },
      list: [{ password: "p1" }, { ok: 1 }],
      message: new Message("u-1", "b"),
      when: new Date(0),
      clean: { n: 1 },
    };
    const out = redactFields(input);
    expect(out).toEqual({
      a: { b: { c: { d: { e: { narrative: REDACTED } } } } },
      list: [{ password: REDACTED }, { ok: 1 }],
      message: { userId: REDACTED, bucket: "b" },
      when: new Date(0),
      clean: { n: 1 },
    });
    expect(out.clean).toBe(input.clean);
    expect(input.a.b.c.d.e.narrative).toBe("deep");
    expect(input.list[0]?.password).toBe("p1");
  });

  test("returns objects without sensitive fields as they are", () => {
    const input = { correlation_id: "c", nested: { attempt: 1, list: [1, 2] } };
    expect(redactFields(input)).toBe(input);
  });

  test("terminates on circular objects", () => {
    const input: Record<string, unknown> = { password: "x" };
    input["self"] = input;
    const out = redactFields(input);
    expect(out["password"]).toBe(REDACTED);
  });
});

describe("redactUrl", () => {
  test.each([
    ["amqp://guest:guest@127.0.0.1:5672", "amqp://***@127.0.0.1:5672"],
    ["amqps://user:p%40ss@broker.example/vhost", "amqps://***@broker.example/vhost"],
    ["redis://:onlypassword@redis:6379/1", "redis://***@redis:6379/1"],
    ["redis://redis:6379", "redis://redis:6379"],
    ["http://minio:9000/bucket?x=a@b", "http://minio:9000/bucket?x=a@b"],
    ["failed: amqp://a:b@h1 and amqp://c:d@h2", "failed: amqp://***@h1 and amqp://***@h2"],
    ["not a url", "not a url"],
  ])("redactUrl(%s) = %s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe("outcomeLogLevel", () => {
  test.each([
    ["completed", "info"],
    ["duplicate", "info"],
    ["deferred", "info"],
    ["retry", "warn"],
    ["requeue", "warn"],
    ["dead_letter", "error"],
    ["quarantined", "error"],
  ] as const)("%s logs at %s", (kind, level) => {
    expect(outcomeLogLevel(kind)).toBe(level);
  });
});
