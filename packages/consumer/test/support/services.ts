import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@narrative-engine/test-kit";

const run = promisify(execFile);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A private redis-server (append-only file in a temp dir, so a kill and restart keeps the data). */
export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), "ne-redis-"));
  #child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on the same port and data directory; resolves when it answers PING. */
  async restart(): Promise<void> {
    if (this.#child !== undefined) return;
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", this.dir, "--daemonize", "no"];
    this.#child = spawn("redis-server", args, { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      const ok = await run("redis-cli", ["-p", String(this.port), "ping"]).then(
        (r) => r.stdout.trim() === "PONG",
        () => false,
      );
      if (ok) return;
      await sleep(50);
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** Kills the server with SIGKILL and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Closes (broker side) only the connections whose client-provided name is `name`, so tests
 * running in parallel keep theirs. Returns how many were closed.
 */
export async function closeConnectionsNamed(name: string, reason = "closed by test"): Promise<number> {
  const { stdout } = await run("rabbitmqctl", ["list_connections", "pid", "client_properties", "-q"]);
  const pids = stdout
    .split("\n")
    .filter((line) => line.includes(`{"connection_name","${name}"}`))
    .map((line) => line.split("\t")[0]!)
    .filter((pid) => pid.startsWith("<"));
  for (const pid of pids) await run("rabbitmqctl", ["close_connection", pid, reason]);
  return pids.length;
}
