#!/usr/bin/env node
// `pnpm demo`: builds the worker, generates a small synthetic data set, runs the embedded
// `process` command on it and prints the summary, one narrative per record type and where the
// training JSONL is. Needs no broker, no S3 and no network. Output: demo-output/ (git-ignored).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const outRoot = join(repoRoot, "demo-output");
const cli = join(repoRoot, "apps/worker/bin/narrative-engine.js");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
// A stray ETL_ setting from the caller's shell must not change what the demo shows.
for (const name of Object.keys(env)) if (name.startsWith("ETL_")) delete env[name];

const RECORD_TYPES = [
  "BloodGlucoseRecord",
  "HeartRateRecord",
  "SleepSessionRecord",
  "StepsRecord",
  "ActiveCaloriesBurnedRecord",
  "HeartRateVariabilityRmssdRecord",
];

function step(text) {
  console.log(`\n== ${text}`);
}

function run(label, cmd, args, { quiet = false, allowFailure = false } = {}) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (!quiet && r.stdout) process.stdout.write(r.stdout);
  if (r.status !== 0 && !allowFailure) {
    if (quiet && r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
    console.error(`\ndemo: ${label} failed (exit code ${r.status ?? r.signal})`);
    process.exit(1);
  }
  return r;
}

function jsonlFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonlFiles(full));
    else if (entry.name.endsWith(".jsonl")) out.push(full);
  }
  return out.sort();
}

function wrap(text, width = 96) {
  return text
    .split("\n")
    .map((paragraph) => {
      const lines = [];
      let line = "";
      for (const word of paragraph.split(" ")) {
        if (line.length > 0 && line.length + word.length + 1 > width) {
          lines.push(line);
          line = word;
        } else line = line.length > 0 ? `${line} ${word}` : word;
      }
      lines.push(line);
      return lines.map((l) => `    ${l}`).join("\n");
    })
    .join("\n");
}

step("building the worker and the packages it uses (turbo, cached after the first run)");
run("build", "pnpm", ["exec", "turbo", "run", "build", "--filter", "@narrative-engine/worker...", "--output-logs=errors-only"], { quiet: true });
console.log("built");

rmSync(outRoot, { recursive: true, force: true });
const dataDir = join(outRoot, "synthetic-data");
const outputDir = join(outRoot, "output");
const stateDir = join(outRoot, "state");

step("generating synthetic Health Connect exports: 2 users × 3 days, all six record types (seed \"demo\")");
run("generate", "node", [cli, "generate", "--users", "2", "--days", "3", "--seed", "demo", "--out", dataDir]);

step("processing them through the pipeline (embedded mode: local files, SQLite dedup, local output)");
run("process", "node", [cli, "process", dataDir, "--out", outputDir, "--state-dir", stateDir, "--user", "demo-user"]);

step("running it again: every file is now a duplicate");
const again = run("process (re-run)", "node", [cli, "process", dataDir, "--out", outputDir, "--state-dir", stateDir, "--user", "demo-user"], { quiet: true });
const total = /^total\s+(\d+)\s+\d+\s+(\d+)\s+(\d+)/m.exec(again.stdout);
if (total) console.log(`${total[1]} files: ${total[3]} reported as duplicates, ${total[2]} processed again`);

step("one narrative per record type");
const examples = new Map();
for (const file of jsonlFiles(outputDir)) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const example = JSON.parse(line);
    const type = example.metadata?.record_type;
    if (type && !examples.has(type)) examples.set(type, { example, file });
  }
}
for (const type of RECORD_TYPES) {
  const found = examples.get(type);
  console.log(`\n--- ${type}${found ? ` (quality ${found.example.metadata.quality_score}, ${found.example.metadata.record_count} records)` : ""}`);
  console.log(found ? wrap(found.example.output) : "    (no training example: see the summary above)");
}

step("training data");
const trainingFile = join(outRoot, "training.jsonl");
run("export", "node", [cli, "export", "--from-dir", outputDir, "--out", trainingFile]);
const rel = (p) => relative(process.cwd(), p) || ".";
console.log(`one object per file:  ${rel(join(outputDir, "health-data", "training"))}/`);
console.log(`one training file:    ${rel(trainingFile)}`);
console.log(`synthetic inputs:     ${rel(dataDir)}/`);
console.log(`\nNext: \`node apps/worker/bin/narrative-engine.js --help\`, or \`pnpm test\`.`);
