import { afterEach, describe, expect, test } from "vitest";
import { parsePrometheusText, sampleValue } from "../test/parse-prometheus-text.ts";
import { createMetrics } from "./create-metrics.ts";
import { startTelemetryServer, type TelemetryServer, type TelemetryServerOptions } from "./start-telemetry-server.ts";

const servers: TelemetryServer[] = [];

async function start(options: TelemetryServerOptions = {}): Promise<TelemetryServer> {
  const server = await startTelemetryServer({ port: 0, host: "127.0.0.1", ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("startTelemetryServer", () => {
  test("/metrics serves the registry as Prometheus text", async () => {
    const metrics = createMetrics({ service: "worker", version: "9.9.9", environment: "test", defaultMetrics: false });
    metrics.duplicateMessages.inc(2);
    const server = await start({ metrics });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const samples = parsePrometheusText(await res.text());
    expect(sampleValue(samples, "etl_duplicate_messages_total")).toBe(2);
    expect(sampleValue(samples, "etl_service_info", { version: "9.9.9" })).toBe(1);
  });

  test("/live answers 200 while the process runs, even when not ready", async () => {
    const server = await start({ readinessChecks: [{ name: "rabbitmq", check: () => false }] });
    const { status, body } = await getJson(`${server.url}/live`);
    expect(status).toBe(200);
    expect(body["status"]).toBe("alive");
  });

  test("/ready is 503 naming the failing checks until every check passes", async () => {
    let brokerUp = false;
    let storeUp = false;
    const server = await start({
      readinessChecks: [
        { name: "rabbitmq", check: () => brokerUp },
        { name: "dedup_store", check: () => Promise.resolve(storeUp) },
        { name: "consumer", check: () => true },
      ],
    });
    let res = await getJson(`${server.url}/ready`);
    expect(res.status).toBe(503);
    expect(res.body["status"]).toBe("not_ready");
    expect(res.body["failing"]).toEqual(["rabbitmq", "dedup_store"]);

    brokerUp = true;
    res = await getJson(`${server.url}/ready`);
    expect(res.status).toBe(503);
    expect(res.body["failing"]).toEqual(["dedup_store"]);

    storeUp = true;
    res = await getJson(`${server.url}/ready`);
    expect(res.status).toBe(200);
    expect(res.body["status"]).toBe("ready");
    expect(res.body["failing"]).toEqual([]);
  });

  test("a check that throws, rejects or hangs counts as failing; its error has credentials scrubbed", async () => {
    const server = await start({
      checkTimeoutMs: 50,
      readinessChecks: [
        {
          name: "rabbitmq",
          check: () => {
            throw new Error("connect ECONNREFUSED amqp://etl:hunter2@broker:5672");
          },
        },
        { name: "redis", check: () => Promise.reject(new Error("down")) },
        { name: "s3", check: () => new Promise<boolean>(() => undefined) },
      ],
    });
    const ready = await getJson(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body["failing"]).toEqual(["rabbitmq", "redis", "s3"]);
    const text = JSON.stringify(ready.body);
    expect(text).not.toContain("hunter2");
    expect(text).toContain("amqp://***@broker:5672");
    expect(text).toContain("timed out");
  });

  test("setShuttingDown makes /ready 503 shutting_down at once, before anything else fails", async () => {
    const server = await start({ readinessChecks: [{ name: "rabbitmq", check: () => true }] });
    expect((await getJson(`${server.url}/ready`)).status).toBe(200);
    server.setShuttingDown();
    expect(server.shuttingDown).toBe(true);
    const res = await getJson(`${server.url}/ready`);
    expect(res.status).toBe(503);
    expect(res.body["status"]).toBe("shutting_down");
    expect(res.body["failing"]).toEqual(["shutting_down"]);
    expect((await getJson(`${server.url}/live`)).status).toBe(200);
  });

  test("/health reports each dependency, uptime, version and the extra info", async () => {
    let storeUp = true;
    const server = await start({
      version: "1.4.0",
      readinessChecks: [
        { name: "rabbitmq", check: () => true },
        { name: "dedup_store", check: () => storeUp },
      ],
      healthInfo: () => ({ queue: "health-data", concurrency: 4 }),
    });
    let res = await getJson(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "ok",
      version: "1.4.0",
      queue: "health-data",
      concurrency: 4,
      dependencies: { rabbitmq: { ok: true }, dedup_store: { ok: true } },
    });
    expect(typeof res.body["uptimeSeconds"]).toBe("number");
    expect(typeof res.body["startedAt"]).toBe("string");

    storeUp = false;
    res = await getJson(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: "degraded", dependencies: { dedup_store: { ok: false } } });

    server.setShuttingDown();
    res = await getJson(`${server.url}/health`);
    expect(res.body["status"]).toBe("shutting_down");
  });

  test("unknown paths are 404, other methods 405", async () => {
    const server = await start();
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/ready`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${server.url}/ready?verbose=1`)).status).toBe(200);
  });

  test("close() is idempotent and stops listening", async () => {
    const server = await startTelemetryServer({ port: 0, host: "127.0.0.1" });
    const url = server.url;
    expect((await fetch(`${url}/live`)).status).toBe(200);
    await Promise.all([server.close(), server.close()]);
    await server.close();
    await expect(fetch(`${url}/live`)).rejects.toThrow();
  });

  test("a port in use rejects the start", async () => {
    const first = await start();
    await expect(startTelemetryServer({ port: first.port, host: "127.0.0.1" })).rejects.toThrow(/EADDRINUSE/);
  });
});
