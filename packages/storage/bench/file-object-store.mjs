#!/usr/bin/env node
// Micro-benchmark of FileObjectStore (built dist/): N puts + N gets of S-byte objects, next to a
// baseline of the bare minimum a durable atomic file write needs (open a temp file, write,
// fdatasync, close, rename) plus a readFile, in the same run, so the figure is a ratio.
//
//   pnpm --filter @narrative-engine/storage bench [--count 2000] [--kib 20] [--rounds 3] [--store PATH/index.js]
//
// Objects go under a few prefixes, as the embedded `process` mode writes them. Each put carries
// a content type (as every put of the engine does), so the store writes the object and its
// metadata sidecar; the "no metadata" line puts without one. Rounds alternate baseline and store
// and the median round is printed. Needs `pnpm build` first.
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
const storeModule = option("store", new URL("../dist/index.js", import.meta.url).href);
const { FileObjectStore } = await import(storeModule.startsWith("file:") ? storeModule : pathToFileURL(resolve(storeModule)).href);

const body = randomBytes(kib * 1024);
const keyOf = (i) => `bench/user-${i % 4}/2025/09/${String(i % 20).padStart(2, "0")}/object-${i}.bin`;

async function baseline(root) {
  const started = performance.now();
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
  const written = performance.now();
  for (let i = 0; i < count; i++) await readFile(join(root, ...keyOf(i).split("/")));
  return { putMs: written - started, getMs: performance.now() - written };
}

async function store(root, withMetadata) {
  const s = new FileObjectStore({ root });
  const options = withMetadata ? { contentType: "application/octet-stream" } : {};
  const started = performance.now();
  for (let i = 0; i < count; i++) await s.put("bench-bucket", keyOf(i), body, options);
  const written = performance.now();
  for (let i = 0; i < count; i++) await s.get("bench-bucket", keyOf(i));
  const read = performance.now();
  await s.close();
  return { putMs: written - started, getMs: read - written };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = { baseline: [], store: [], storeNoMetadata: [] };
const work = mkdtempSync(join(tmpdir(), "ne-store-bench-"));
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

const opsPerSecond = (ms) => Math.round((count / ms) * 1000);
const row = (name) => {
  const put = median(results[name].map((r) => r.putMs));
  const get = median(results[name].map((r) => r.getMs));
  return { name, putOps: opsPerSecond(put), getOps: opsPerSecond(get), putMs: put, getMs: get };
};
const base = row("baseline");
console.log(`${count} puts + ${count} gets of ${kib} KiB, sequential, median of ${rounds} rounds (${storeModule})`);
for (const r of [base, row("store"), row("storeNoMetadata")]) {
  const label = { baseline: "bare fs (open wx, write, fdatasync, close, rename; readFile)", store: "FileObjectStore put with contentType, get", storeNoMetadata: "FileObjectStore put without metadata, get" }[r.name];
  console.log(
    `${label.padEnd(62)} put ${String(r.putOps).padStart(6)} ops/s (${(r.putOps / base.putOps).toFixed(2)}×)  get ${String(r.getOps).padStart(6)} ops/s (${(r.getOps / base.getOps).toFixed(2)}×)`,
  );
}
