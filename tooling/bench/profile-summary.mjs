#!/usr/bin/env node
// Top self-time functions of a V8 .cpuprofile (from node --cpu-prof).
// Usage: node tooling/bench/profile-summary.mjs file.cpuprofile [--top 25] [--by-file | --by-package] [--from S] [--to S]
//   --by-file     group by source file
//   --by-package  group by package (aws-sdk, our packages, node:<module>, gc, …), native time
//                 counted to the JavaScript caller's package; idle time left out
//   --from/--to   only samples between these seconds from the start of the profile
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--") && !/^\d/.test(a));
const num = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const top = num("--top", 25) || 25;
const byFile = args.includes("--by-file");
const byPackage = args.includes("--by-package");
const from = num("--from", 0);
const to = num("--to", Infinity);
if (!file) {
  process.stderr.write("usage: profile-summary.mjs file.cpuprofile [--top N] [--by-file | --by-package] [--from S] [--to S]\n");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const shorten = (url) => url.replace(/^file:\/\//, "").replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, "npm:").replace(/.*\/work\/[^/]+\//, "");

/** The package a frame belongs to; native frames (no URL) take their JavaScript caller's. */
function packageOf(id) {
  const { url, functionName } = nodes.get(id).callFrame;
  if (!url) {
    if (functionName === "(garbage collector)") return "gc";
    if (functionName === "(idle)") return "idle";
    if (functionName === "(program)" || functionName === "(root)" || !parent.has(id)) return `native ${functionName}`;
    return packageOf(parent.get(id));
  }
  if (/@smithy|@aws-sdk|@aws-crypto/.test(url)) return "aws-sdk";
  let m = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  m = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (m) return `${m[1]}/${m[2]}`;
  m = /^node:(?:internal\/)?([a-z_]+)/.exec(url);
  if (m) return `node:${m[1]}`;
  return shorten(url);
}

const agg = new Map();
let total = 0;
let t = profile.startTime;
const start = profile.startTime + from * 1e6;
const end = profile.startTime + to * 1e6;
const cache = new Map();
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i] ?? 0;
  if (t < start || t > end) return;
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // ms
  let key;
  if (byPackage) {
    if (!cache.has(id)) cache.set(id, packageOf(id));
    key = cache.get(id);
    if (key === "idle") return;
  } else {
    const cf = nodes.get(id).callFrame;
    const where = cf.url ? shorten(cf.url) : "(native)";
    key = byFile ? where : `${cf.functionName || "(anonymous)"}  ${where}:${cf.lineNumber + 1}`;
  }
  total += dt;
  agg.set(key, (agg.get(key) ?? 0) + dt);
});
const rows = [...agg].sort((a, b) => b[1] - a[1]).slice(0, top);
process.stdout.write(`${file}: ${(total / 1000).toFixed(2)} s sampled${byPackage ? " (busy)" : ""}\n`);
for (const [k, ms] of rows) process.stdout.write(`${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${k}\n`);
