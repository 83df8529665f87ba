import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { testMessage } from "../test/test-message.ts";
import { SqliteDeduplicationStore } from "./sqlite-deduplication-store.ts";

const testDir = join(import.meta.dirname, "..", "test");
const dir = mkdtempSync(join(tmpdir(), "ne-dedup-xproc-"));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  readonly key: string;
  readonly owner: string;
  readonly status: string;
}

describe("SqliteDeduplicationStore across processes", () => {
  // One child process (TypeScript sources through test/ts-hooks.mjs) and this process race with
  // 5 connections each: SQLite's file locks, not one event loop, arbitrate.
  test("two processes × 5 connections racing on 25 keys: each key is claimed exactly once", { timeout: 120_000 }, async () => {
    const path = join(dir, "shared.db");
    const keys = Array.from({ length: 25 }, (_, i) => `xproc-${i}`);
    const child = spawn(
      process.execPath,
      ["--conditions=@narrative-engine/source", "--import", "./register-ts.mjs", "./sqlite-claim-worker.ts", path, "child", "5", keys.join(",")],
      { cwd: testDir, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      const ready = await Promise.race([
        new Promise<true>((resolve) => {
          const check = (): void => {
            if (stdout.includes("ready\n")) resolve(true);
            else setTimeout(check, 20);
          };
          check();
        }),
        exited.then(() => false as const),
      ]);
      expect(ready, stderr).toBe(true);

      const stores = Array.from({ length: 5 }, () => new SqliteDeduplicationStore({ path }));
      await Promise.all(stores.map((s) => s.ping()));
      child.stdin.write("go\n");
      const mine = await Promise.all(
        stores.flatMap((store, i) =>
          keys.map(async (key): Promise<Outcome> => {
            const owner = `parent-s${i}`;
            return { key, owner, status: (await store.tryClaim(testMessage(key), key, owner, 60_000)).status };
          }),
        ),
      );
      await Promise.all(stores.map((s) => s.close()));
      expect(await exited, stderr).toBe(0);

      const theirs = JSON.parse(stdout.slice(stdout.indexOf("ready\n") + "ready\n".length)) as Outcome[];
      const outcomes = [...mine, ...theirs];
      expect(outcomes).toHaveLength(2 * 5 * keys.length);
      for (const key of keys) {
        const forKey = outcomes.filter((o) => o.key === key);
        expect(forKey.filter((o) => o.status === "claimed"), key).toHaveLength(1);
        expect(forKey.filter((o) => o.status === "busy"), key).toHaveLength(9);
      }
    } finally {
      child.kill();
    }
  });
});
