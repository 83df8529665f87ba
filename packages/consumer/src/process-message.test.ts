import type { DeduplicationStore } from "@narrative-engine/contracts";
import { RecoveryPolicy } from "@narrative-engine/errors";
import type { ObjectStore } from "@narrative-engine/storage";
import { expect, test } from "vitest";
import type { PipelineDependencies } from "./pipeline-dependencies.ts";
import type { MessageStartInfo, PipelineObserver } from "./pipeline-observer.ts";
import { processMessage } from "./process-message.ts";

// A message naming a bucket outside the allowed list ends before any store is touched, so the
// observer's start info can be checked without services (the stores below throw if used).
const unused = new Proxy({}, { get: () => () => { throw new Error("not used"); } });

function deps(started: MessageStartInfo[]): PipelineDependencies {
  const observer: PipelineObserver = {
    messageStarted: (info) => {
      started.push(info);
      return { stage: (_n, fn) => fn(), recordsParsed: () => undefined, qualityScore: () => undefined, finished: () => undefined, injectHeaders: () => undefined };
    },
  };
  return {
    config: { allowedBuckets: ["allowed"], quarantineBucket: "allowed", workerId: "unit" },
    store: unused as ObjectStore,
    dedup: unused as DeduplicationStore,
    decoder: unused as PipelineDependencies["decoder"],
    validator: unused as PipelineDependencies["validator"],
    processors: unused as PipelineDependencies["processors"],
    writer: unused as PipelineDependencies["writer"],
    policy: new RecoveryPolicy({ maxRetries: 1, retryDelaysMs: [1000] }),
    observer,
  };
}

const body = (extra: Record<string, unknown> = {}) =>
  new TextEncoder().encode(
    JSON.stringify({
      bucket: "elsewhere",
      key: "raw/StepsRecord/2025/09/20/u_1.avro",
      user_id: "u",
      record_type: "AvroStepsRecord",
      upload_timestamp_utc: "2025-09-20T22:25:39.312Z",
      file_size_bytes: 10,
      file_hash: "a".repeat(64),
      correlation_id: "corr-1",
      ...extra,
    }),
  );

test("the observer is told the message's ids, upload time and the transport's publish time", async () => {
  const started: MessageStartInfo[] = [];
  const outcome = await processMessage({ body: body(), headers: { traceparent: "x" }, publishedAt: 1_758_407_139_000 }, deps(started));
  expect(outcome.kind).toBe("dead_letter");
  expect(started).toHaveLength(1);
  expect(started[0]).toMatchObject({
    recordType: "StepsRecord",
    attempt: 0,
    headers: { traceparent: "x" },
    correlationId: "corr-1",
    idempotencyKey: expect.any(String),
    uploadTimestampUtc: "2025-09-20T22:25:39.312Z",
    publishedAt: 1_758_407_139_000,
  });
});

test("a redelivery (attempt > 0) does not pass the publish time: the copy keeps the first publish's timestamp", async () => {
  const started: MessageStartInfo[] = [];
  await processMessage({ body: body(), retryCount: 2, publishedAt: 1_758_407_139_000 }, deps(started));
  expect(started[0]?.attempt).toBe(2);
  expect(started[0]).not.toHaveProperty("publishedAt");
  expect(started[0]?.correlationId).toBe("corr-1");
});

test("an unparseable body starts without ids", async () => {
  const started: MessageStartInfo[] = [];
  await processMessage({ body: new TextEncoder().encode("{") }, deps(started));
  expect(started[0]).toEqual({ headers: {}, attempt: 0 });
});

test("the reason text (it may name the object key, holding the user id) is logged at debug only", async () => {
  const lines: { level: string; fields: Record<string, unknown> }[] = [];
  const logger = {
    child: () => logger,
    debug: (fields: object) => lines.push({ level: "debug", fields: { ...fields } }),
    info: (fields: object) => lines.push({ level: "info", fields: { ...fields } }),
    warn: (fields: object) => lines.push({ level: "warn", fields: { ...fields } }),
    error: (fields: object) => lines.push({ level: "error", fields: { ...fields } }),
  };
  await processMessage({ body: body() }, { ...deps([]), logger });
  const above = lines.filter((l) => l.level !== "debug");
  expect(above.some((l) => l.fields["outcome"] === "dead_letter" && l.fields["error_type"] === "validation_error")).toBe(true);
  expect(JSON.stringify(above)).not.toContain("elsewhere");
  expect(lines.some((l) => l.level === "debug" && String(l.fields["error_message"]).includes("elsewhere"))).toBe(true);
});
