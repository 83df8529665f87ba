import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { SqliteDeduplicationStore } from "@narrative-engine/dedup";
import { describeWithSamples, rabbitUrl, sampleFiles } from "@narrative-engine/test-kit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { declareTopology } from "../src/index.ts";
import { BUCKET, buildMessage, Harness } from "./support/harness.ts";
import { ensureBuilt } from "./support/ensure-built.ts";

const LEASE_MS = 1_500;

describeWithSamples("a consumer process killed after claiming", () => {
  let h: Harness;
  let dir: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    ensureBuilt(["contracts", "errors", "dedup", "consumer"]);
    dir = mkdtempSync(join(tmpdir(), "ne-crash-"));
    h = await Harness.create({ label: "consumer-crash", dedup: new SqliteDeduplicationStore({ path: join(dir, "dedup.sqlite") }) });
  }, 240_000);
  afterAll(async () => {
    child?.kill("SIGKILL");
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("SIGKILL before the ack: the broker redelivers, another consumer takes over after the lease and processes it once", async () => {
    const setup = await h.admin.createChannel();
    await declareTopology(setup, h.topology);
    await setup.close();
    const config = { url: rabbitUrl, topology: h.topology, sqlitePath: join(dir, "dedup.sqlite"), bucket: BUCKET, leaseMs: LEASE_MS };
    child = spawn(process.execPath, [join(import.meta.dirname, "support", "crash-consumer.mjs")], {
      env: { ...process.env, CRASH_CONSUMER_CONFIG: JSON.stringify(config) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! });
    const seen: string[] = [];
    lines.on("line", (line) => seen.push(line));
    await h.waitFor(() => seen.includes("CONSUMING"), 30_000, "child consuming");

    const uploaded = await h.uploadSample(sampleFiles("SleepSessionRecord")[0]!.name);
    const { body, routingKey } = buildMessage("message-queue", { ...uploaded, recordType: "SleepSessionRecord" });
    const key = body["idempotency_key"] as string;
    await h.publish(body, routingKey);
    await h.waitFor(() => seen.some((l) => l.startsWith("DOWNLOADING")), 20_000, "child claimed and downloading");
    const claimed = await h.record(key);
    expect(claimed?.status).toBe("processing");
    expect(claimed?.owner).toMatch(/^crashing-worker:/);

    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    child = undefined;

    // The survivor sees the key busy (the dead worker's lease), defers it, then takes over.
    await h.consumer({ concurrency: 2 });
    await h.waitFor(async () => (await h.record(key))?.status === "completed", 30_000, "takeover");
    await h.idle();
    const record = await h.record(key);
    expect(record?.status).toBe("completed");
    expect(record?.attempts).toBe(2);
    expect(record?.owner).not.toMatch(/^crashing-worker:/);
    const outputs = await h.outputs();
    expect(outputs.filter((o) => o.endsWith(`/${key}.jsonl`))).toHaveLength(1);
    expect(outputs).toHaveLength(1);
    expect(await h.depths()).toEqual({ processing: 0, retry: 0, dlq: 0 });
  }, 60_000);
});
