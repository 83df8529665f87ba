#!/usr/bin/env node
// Micro-benchmark of FileObjectStore (built dist/): N puts + N gets of S-byte objects, next to a
// baseline of the bare minimum a durable atomic file write needs (open a temp file, write,
// fdatasync, close, rename) plus a readFile, in the same run, so the figure is a ratio.
//
//   pnpm --filter @narrative-engine/storage bench [--count 2000] [--kib 20] [--rounds 3] [--dir /dev/shm] [--store PATH/index.js]
//
// --dir picks the folder for the temp root (default: the OS temp folder); on a tmpfs fdatasync is
// free, which leaves the store's own per-call cost. --store benchmarks another build (say main's).
//
// Objects go under a few prefixes, as the embedded `process` mode writes them. Each put carries
// a content type (as every put of the engine does), so the store writes the object and its
// metadata sidecar; the "no metadata" line puts without one. Rounds alternate baseline and store
// and the median round is printed: ops/s (wall, bound by fdatasync on a real disk) and CPU µs per
// operation (process.cpuUsage, so the libuv threads doing the syscalls count). Needs `pnpm build`.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { open, readFile, rename, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const count = Number(option("count", "2000"));
const kib = Number(option("kib", "20"));
const rounds = Number(option("rounds", "3"));
const dir = option("dir", tmpdir());
const storeModule = option("store", new URL("../dist/index.js", import.meta.url).href);
const { FileObjectStore } = await import(storeModule.startsWith("file:") ? storeModule : pathToFileURL(resolve(storeModule)).href);

const body = randomBytes(kib * 1024);
const keyOf = (i) => `bench/user-${i % 4}/2025/09/${String(i % 20).padStart(2, "0")}/object-${i}.bin`;

const cpuMs = (usage) => (usage.user + usage.system) / 1000;
const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const since = (start) => ({ ms: performance.now() - start.wall, cpuMs: cpuMs(process.cpuUsage(start.cpu)) });

async function baseline(root) {
  const started = clock();
  for (let i = 0; i < count; i++) {
    const path = join(root, ...keyOf(i).split("/"));
    const folder = join(path, "..");
    if (i < 80) await mkdir(folder, { recursive: true }); // the first 80 keys create every folder
    const temp = join(folder, `.tmp-${i}`);
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(body);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  }
  const put = since(started);
  const reading = clock();
  for (let i = 0; i < count; i++) await readFile(join(root, ...keyOf(i).split("/")));
  return { put, get: since(reading) };
}

async function store(root, withMetadata) {
  const s = new FileObjectStore({ root });
  const options = withMetadata ? { contentType: "application/octet-stream" } : {};
  const started = clock();
  for (let i = 0; i < count; i++) await s.put("bench-bucket", keyOf(i), body, options);
  const put = since(started);
  const reading = clock();
  for (let i = 0; i < count; i++) await s.get("bench-bucket", keyOf(i));
  const get = since(reading);
  await s.close();
  return { put, get };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = { baseline: [], store: [], storeNoMetadata: [] };
const work = mkdtempSync(join(dir, "ne-store-bench-"));
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of [
      ["baseline", (root) => baseline(root)],
      ["store", (root) => store(root, true)],
      ["storeNoMetadata", (root) => store(root, false)],
    ]) {
      const root = join(work, `${name}-${round}`);
      await mkdir(root, { recursive: true });
      results[name].push(await run(root));
      rmSync(root, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const row = (name) => {
  const phase = (which) => {
    const ms = median(results[name].map((r) => r[which].ms));
    const cpu = median(results[name].map((r) => r[which].cpuMs));
    return { ops: (count / ms) * 1000, cpuUs: (cpu * 1000) / count };
  };
  return { name, put: phase("put"), get: phase("get") };
};
const labels = {
  baseline: "bare fs (open wx, write, fdatasync, close, rename; readFile)",
  store: "FileObjectStore: put with contentType (+ sidecar); get",
  storeNoMetadata: "FileObjectStore: put without metadata; get",
};
const base = row("baseline");
const cell = (p, b) =>
  `${String(Math.round(p.ops)).padStart(6)} ops/s (${(p.ops / b.ops).toFixed(2)}×) ${p.cpuUs.toFixed(0).padStart(4)} µs CPU/op (${(p.cpuUs / b.cpuUs).toFixed(2)}×)`;
console.log(`${count} puts + ${count} gets of ${kib} KiB, sequential, median of ${rounds} rounds, in ${dir} (${storeModule})`);
for (const r of [base, row("store"), row("storeNoMetadata")]) {
  console.log(`${labels[r.name].padEnd(60)} put ${cell(r.put, base.put)} | get ${cell(r.get, base.get)}`);
}
