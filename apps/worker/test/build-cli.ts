import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** Why building the CLI failed; empty when it built. */
    cliBuildError: string;
  }
}

const repoRoot = resolve(import.meta.dirname, "../../..");

/**
 * Vitest global setup: builds the worker and everything it depends on (turbo-cached), as a
 * user would before running the CLI. A failed build is handed to the CLI tests, which fail
 * with it, instead of failing the unit tests that need no build.
 */
export function setup(project: TestProject): void {
  const r = spawnSync("pnpm", ["exec", "turbo", "run", "build", "--filter", "@narrative-engine/worker...", "--output-logs=errors-only"], {
    cwd: repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  project.provide("cliBuildError", r.status === 0 ? "" : `building the worker failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}
