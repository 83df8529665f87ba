import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { redactText } from "./create-logger.ts";

/** One dependency `/ready` waits for (consumer running, broker connected, store reachable…). */
export interface ReadinessCheck {
  /** Name shown in `/ready` and `/health` (e.g. `rabbitmq`). */
  readonly name: string;
  /** True when the dependency is usable; a throw, rejection or timeout counts as false. */
  check(): boolean | Promise<boolean>;
}

/** State of one dependency as `/health` reports it. */
export interface DependencyState {
  /** Whether the check passed. */
  readonly ok: boolean;
  /** Why it failed, when it threw or timed out (credentials scrubbed). */
  readonly error?: string;
}

/** Options of {@link startTelemetryServer}. */
export interface TelemetryServerOptions {
  /** Port to listen on (default 8004; 0 picks a free port). */
  readonly port?: number;
  /** Interface to bind (default `0.0.0.0`). */
  readonly host?: string;
  /** Metrics to expose on `/metrics` (anything with a prom-client registry). */
  readonly metrics?: { readonly registry: Registry };
  /** Checks `/ready` requires to pass and `/health` reports. */
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** Extra details for `/health` (e.g. queue names, concurrency); must hold no secrets. */
  readonly healthInfo?: () => Readonly<Record<string, unknown>> | Promise<Readonly<Record<string, unknown>>>;
  /** Version reported by `/health`. */
  readonly version?: string;
  /** How long one check may take before it counts as failed, ms (default 2000). */
  readonly checkTimeoutMs?: number;
}

/** The running telemetry HTTP server. */
export interface TelemetryServer {
  /** Base URL, e.g. `http://127.0.0.1:8004`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** True once {@link TelemetryServer.setShuttingDown} was called. */
  readonly shuttingDown: boolean;
  /** Makes `/ready` answer 503 `shutting_down` so load balancers and probes stop routing first. */
  setShuttingDown(): void;
  /** Stops listening and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

/** Default port of the telemetry server. */
export const DEFAULT_TELEMETRY_PORT = 8004;

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`check timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const ok = await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
    return { ok: ok };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: redactText(message) };
  } finally {
    clearTimeout(timer);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

/**
 * Starts the HTTP server for probes and scraping: `/metrics`, `/live`, `/ready`,
 * `/health`. Resolves once listening.
 */
export async function startTelemetryServer(options: TelemetryServerOptions = {}): Promise<TelemetryServer> {
  const checks = options.readinessChecks ?? [];
  const checkTimeoutMs = options.checkTimeoutMs ?? 2000;
  const startedAt = Date.now();
  let shuttingDown = false;

  async function checkAll(): Promise<Record<string, DependencyState>> {
    const states = await Promise.all(checks.map((c) => runCheck(c, checkTimeoutMs)));
    const result: Record<string, DependencyState> = {};
    checks.forEach((c, i) => {
      result[c.name] = states[i] ?? { ok: false };
    });
    return result;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      return;
    }
    switch (path) {
      case "/metrics": {
        if (options.metrics === undefined) {
          sendJson(res, 404, { error: "no metrics registry configured" });
          return;
        }
        const text = await options.metrics.registry.metrics();
        res.writeHead(200, { "content-type": options.metrics.registry.contentType, "cache-control": "no-store" });
        res.end(text);
        return;
      }
      case "/live":
        sendJson(res, 200, { status: "alive" });
        return;
      case "/ready": {
        if (shuttingDown) {
          sendJson(res, 503, { status: "shutting_down", failing: ["shutting_down"] });
          return;
        }
        const states = await checkAll();
        const failing = Object.entries(states)
          .filter(([, s]) => !s.ok)
          .map(([name]) => name);
        if (shuttingDown) failing.unshift("shutting_down");
        sendJson(res, failing.length === 0 ? 200 : 503, {
          status: failing.length === 0 ? "ready" : shuttingDown ? "shutting_down" : "not_ready",
          failing,
          checks: states,
        });
        return;
      }
      case "/health": {
        const [dependencies, info] = await Promise.all([checkAll(), options.healthInfo?.() ?? {}]);
        const healthy = !shuttingDown && Object.values(dependencies).every((s) => s.ok);
        sendJson(res, healthy ? 200 : 503, {
          ...info,
          status: shuttingDown ? "shutting_down" : healthy ? "ok" : "degraded",
          version: options.version ?? "unknown",
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          startedAt: new Date(startedAt).toISOString(),
          dependencies,
        });
        return;
      }
      default:
        sendJson(res, 404, { error: "not found", paths: ["/metrics", "/live", "/ready", "/health"] });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, { error: redactText(error instanceof Error ? error.message : String(error)) });
    });
  });
  // Probes reuse connections; a short keep-alive keeps close() prompt.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_TELEMETRY_PORT, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const wildcard = address.address === "0.0.0.0" || address.address === "::";
  const host = wildcard ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get shuttingDown() {
      return shuttingDown;
    },
    setShuttingDown() {
      shuttingDown = true;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
