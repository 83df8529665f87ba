#!/usr/bin/env node
// `pnpm test`: services, build, typecheck, lint, the contracts API report, the changeset and compose
// checks and every vitest project in one run. Ends with one line `N passed, N failed[, N skipped]`, where the
// static checks count as one test each, and exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureServices } from "./ensure-services.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.FORCE_COLOR ?? "1" };
const extraArgs = process.argv.slice(2);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function run(label, cmd, args) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: repoRoot, env, stdio: "inherit" });
  const ok = r.status === 0;
  console.log(`${ok ? "✔" : "✘"} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(label, cmd, args) {
  if (run(label, cmd, args)) passed += 1;
  else {
    failed += 1;
    failures.push(label);
  }
}

function summary() {
  if (failures.length > 0) console.log(`\nfailed: ${failures.join("; ")}`);
  console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

const problems = await ensureServices();
if (problems.length > 0) {
  for (const p of problems) console.error(`error: ${p}`);
  failed += 1;
  failures.push("services");
  summary();
}

// Build first: the CLI tests run the built worker, the API report reads the built declarations.
check("build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
if (failed > 0) summary();
check("typecheck", "pnpm", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
check("lint", "pnpm", ["exec", "eslint", ".", "--max-warnings", "0"]);
check("contracts API report", "pnpm", ["--filter", "@narrative-engine/contracts", "run", "api:check"]);
check("changesets", "node", ["tooling/scripts/check-changesets.mjs"]);
check("compose file", "node", ["tooling/scripts/check-compose.mjs"]);

const outDir = mkdtempSync(join(tmpdir(), "ne-vitest-"));
const outFile = join(outDir, "results.json");
run("vitest", "pnpm", ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${outFile}`, ...extraArgs]);
if (existsSync(outFile)) {
  const report = JSON.parse(readFileSync(outFile, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that fails to load has no tests of its own; count it so it cannot pass silently.
  const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).every((a) => a.status !== "failed"));
  failed += brokenFiles.length;
  if ((report.numFailedTests ?? 0) > 0 || brokenFiles.length > 0) failures.push("vitest");
  if (report.numTotalTests === 0) {
    failed += 1;
    failures.push("vitest ran no test");
  }
} else {
  failed += 1;
  failures.push("vitest (no report)");
}
rmSync(outDir, { recursive: true, force: true });
summary();
