import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanEnv, requireBuiltCli, runCli } from "./cli-process.ts";

requireBuiltCli();

const work = mkdtempSync(join(tmpdir(), "ne-cli-basics-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

describe("help and exit codes", () => {
  test("--help lists every command and documents the exit codes", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["worker", "process", "generate", "publish", "status", "dlq", "export", "config"]) expect(r.stdout).toContain(command);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*2 +usage or configuration error/);
  });

  test.each(["worker", "process", "generate", "publish", "status", "export"])("%s --help exits 0", async (command) => {
    const r = await runCli([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: narrative-engine ${command}`);
  });

  test.each([
    [["no-such-command"], /unknown command/],
    [["generate", "--users", "zero"], /--users must be an integer/],
    [["process"], /missing required argument/],
    [["export"], /required option '--out <file>'/],
    [["dlq", "replay", "--filter", "bogus_error"], /must be one of network_error/],
  ])("usage error %j exits 2", async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test("process of a missing path exits 2; of a folder without Avro files exits 1", async () => {
    expect((await runCli(["process", join(work, "missing")])).code).toBe(2);
    const empty = mkdtempSync(join(work, "empty-"));
    const r = await runCli(["process", empty, "--out", join(work, "o"), "--state-dir", join(work, "s")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no .avro files");
  });
});

describe("configuration errors", () => {
  test("every bad variable is named in one message, exit 2, secrets not echoed", async () => {
    const env = cleanEnv({
      ETL_PREFETCH_COUNT: "lots",
      ETL_QUEUE_TYPE: "stream",
      ETL_RETRY_DELAYS: "30,300,later",
      ETL_DATA_QUALITY_THRESHOLD: "2",
      ETL_RABBITMQ_URL: "http://admin:s3cr3t-pw@broker",
      ETL_S3_ACCESS_KEY: "AKIAEXAMPLEKEY",
      ETL_PREFETCH_CUONT: "4",
    });
    const r = await runCli(["config", "print"], { env });
    expect(r.code).toBe(2);
    for (const name of ["ETL_PREFETCH_COUNT", "ETL_QUEUE_TYPE", "ETL_RETRY_DELAYS", "ETL_DATA_QUALITY_THRESHOLD", "ETL_RABBITMQ_URL", "ETL_S3_SECRET_KEY"]) {
      expect(r.stderr).toContain(name);
    }
    expect(r.stderr).toContain("invalid configuration (6 problems)");
    expect(r.stderr).toContain("unknown variable ETL_PREFETCH_CUONT is ignored; did you mean ETL_PREFETCH_COUNT?");
    expect(r.stderr).not.toContain("s3cr3t-pw");
    expect(r.stderr).not.toContain("AKIAEXAMPLEKEY");
    expect(r.stdout).toBe("");
  });

  test("the same errors stop every command that needs the configuration", async () => {
    const r = await runCli(["status"], { env: cleanEnv({ ETL_DECLARE_MODE: "maybe" }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ETL_DECLARE_MODE: must be one of assert, passive");
  });

  test("config print masks secrets and URL passwords", async () => {
    const env = cleanEnv({
      ETL_RABBITMQ_URL: "amqp://worker:hunter2@rabbit:5672/prod",
      ETL_S3_ACCESS_KEY: "AKIAEXAMPLEKEY",
      ETL_S3_SECRET_KEY: "wJalrXUtnFEMI",
      ETL_DEDUPLICATION_REDIS_URL: "redis://:redispw@redis:6379",
      ETL_QUEUE_NAME: "my_queue",
    });
    const r = await runCli(["config", "print"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ETL_RABBITMQ_URL +amqp:\/\/worker:\*\*\*@rabbit:5672\/prod/);
    expect(r.stdout).toMatch(/ETL_S3_SECRET_KEY +\*\*\*/);
    expect(r.stdout).toMatch(/ETL_QUEUE_NAME +my_queue\n/);
    expect(r.stdout).toMatch(/ETL_PREFETCH_COUNT +32 +\[default\]/);
    for (const secret of ["hunter2", "AKIAEXAMPLEKEY", "wJalrXUtnFEMI", "redispw"]) expect(r.stdout).not.toContain(secret);
  });
});

describe("generate", () => {
  test("the same seed gives identical bytes; another seed different data", async () => {
    const a = join(work, "gen-a");
    const b = join(work, "gen-b");
    const c = join(work, "gen-c");
    for (const [dir, seed] of [[a, "s1"], [b, "s1"], [c, "s2"]] as const) {
      const r = await runCli(["generate", "--users", "2", "--days", "2", "--seed", seed, "--out", dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("wrote 12 files");
    }
    const fa = filesUnder(a);
    const fb = filesUnder(b);
    expect(fa.size).toBe(12);
    expect([...fa.keys()].sort()).toEqual([...fb.keys()].sort());
    for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name)!), name).toBe(true);
    const fc = filesUnder(c);
    expect([...fc.values()].some((bytes, i) => !bytes.equals([...fa.values()][i]!))).toBe(true);
    for (const name of fa.keys()) expect(name).toMatch(/^synthetic-user-00[12]\/(BloodGlucose|HeartRate|SleepSession|Steps|ActiveCaloriesBurned|HeartRateVariabilityRmssd)Record_\d{13}\.avro$/);
  });

  test("--big-glucose-mb writes one large glucose file", async () => {
    const dir = join(work, "gen-big");
    const r = await runCli(["generate", "--users", "1", "--days", "1", "--types", "Steps", "--big-glucose-mb", "1", "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    const files = filesUnder(dir);
    const big = [...files].find(([name]) => name.startsWith("big/BloodGlucoseRecord_"));
    expect(big).toBeDefined();
    expect(big![1].byteLength).toBeGreaterThan(0.9 * 1024 * 1024);
  });
});
