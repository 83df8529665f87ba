#!/usr/bin/env node
// Top self-time functions of a V8 .cpuprofile (from node --cpu-prof).
// Usage: node tooling/bench/profile-summary.mjs file.cpuprofile [--top 25] [--by-file]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const top = Number(args[args.indexOf("--top") + 1]) || 25;
const byFile = args.includes("--by-file");
if (!file) {
  process.stderr.write("usage: profile-summary.mjs file.cpuprofile [--top N] [--by-file]\n");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas ?? [];
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000; // ms
  total += dt;
  self.set(id, (self.get(id) ?? 0) + dt);
});
const shorten = (url) => url.replace(/^file:\/\//, "").replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "npm:").replace(/.*\/work\/main\//, "");
const agg = new Map();
for (const [id, ms] of self) {
  const n = nodes.get(id);
  const cf = n.callFrame;
  const where = cf.url ? shorten(cf.url) : "(native)";
  const key = byFile ? where : `${cf.functionName || "(anonymous)"}  ${where}:${cf.lineNumber + 1}`;
  agg.set(key, (agg.get(key) ?? 0) + ms);
}
const rows = [...agg].sort((a, b) => b[1] - a[1]).slice(0, top);
process.stdout.write(`${file}: ${(total / 1000).toFixed(2)} s sampled\n`);
for (const [k, ms] of rows) process.stdout.write(`${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${k}\n`);
