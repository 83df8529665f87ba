// Golden-output guard: runs every processor of createDefaultRegistry() over the real samples and
// generated exports (plus reordered, repeated, truncated and corrupted variants of each file, and
// three healthMetadata variants) and writes one canonical JSON line per run. The sha256 of that
// output must not change when the processors are made faster: a speed-up may not move one byte.
//
//   pnpm --filter @narrative-engine/processors golden [--out FILE] [--update]
//
// The expected hash is kept in bench/golden-outputs.sha256; a run that differs exits 1 (diff the
// --out file against one written before the change to see what moved). --update rewrites it, for
// a deliberate output change only. The hash also moves when the generator (apps/worker) or the
// validator's quality scores change, so update it in the commit that changes those.
// Uses the built dist of the workspace (the `golden` script builds it first). The line of a run
// is its ProcessingResult without `processingTimeSeconds` (a timing), keys in the order the
// processor wrote them, so key order is guarded too.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import { createDefaultRegistry } from "../dist/index.js";
import { sampleMessage } from "../dist/testing/index.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const fromDist = async (pkg) => {
  const file = join(ROOT, pkg, "dist/index.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (pnpm exec turbo run build --filter @narrative-engine/worker...)`);
  return import(pathToFileURL(file).href);
};
const { DataQualityValidator } = await fromDist("packages/validation");
const { generateSyntheticExport } = await fromDist("apps/worker");

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const outFile = option("out") ?? join(process.env.TMPDIR ?? "/tmp", "processors-golden.jsonl");
const hashFile = join(import.meta.dirname, "golden-outputs.sha256");
const expected = existsSync(hashFile) ? readFileSync(hashFile, "utf8").trim() : undefined;
const samplesDir = process.env.HEALTH_CONNECT_SAMPLES ?? resolve(ROOT, "../shared/samples/health-connect");

/** Deterministic PRNG (mulberry32) for the shuffled variant. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(records, seed) {
  const copy = [...records];
  const next = random(seed);
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Every 7th record made unusable (non-finite or implausible value, or a bad interval), as the validator would let through. */
function corrupted(type, records) {
  return records.map((r, i) => {
    if (i % 7 !== 3) return r;
    const bad = i % 2 === 0 ? Number.NaN : 9999;
    switch (type) {
      case "BloodGlucoseRecord":
        return { ...r, levelInMilligramsPerDeciliter: bad };
      case "HeartRateVariabilityRmssdRecord":
        return { ...r, heartRateVariabilityRmssd: bad };
      case "HeartRateRecord":
        return { ...r, samples: r.samples.map((s, k) => (k % 3 === 0 ? { ...s, beatsPerMinute: bad } : s)) };
      case "StepsRecord":
        return { ...r, count: i % 2 === 0 ? -5 : r.count * 40 };
      case "ActiveCaloriesBurnedRecord":
        return { ...r, energyInKilocalories: i % 2 === 0 ? Number.NaN : r.energyInKilocalories * 1000 };
      case "SleepSessionRecord":
        return { ...r, endTimeEpochMillis: r.startTimeEpochMillis };
      default:
        return r;
    }
  });
}

/** The same records again under new ids: repeated timestamps and same-source overlaps that id de-duplication cannot catch. */
const reIdentified = (records) => records.map((r) => ({ ...r, metadata: { ...r.metadata, id: `${r.metadata.id}-again` } }));

/** A second app recording the same period 2 min later: multi-source clusters and conflicts. */
const secondSource = (records) =>
  records.map((r) => {
    const shift = (t) => t + 120_000;
    const moved = { ...r, metadata: { ...r.metadata, id: `${r.metadata.id}-other`, dataOriginPackageName: "com.example.other" } };
    for (const key of ["timeEpochMillis", "startTimeEpochMillis", "endTimeEpochMillis"]) if (key in r) moved[key] = shift(r[key]);
    if ("samples" in r) moved.samples = r.samples.map((x) => ({ ...x, timeEpochMillis: shift(x.timeEpochMillis) }));
    if ("stages" in r) moved.stages = r.stages.map((x) => ({ ...x, startTimeEpochMillis: shift(x.startTimeEpochMillis), endTimeEpochMillis: shift(x.endTimeEpochMillis) }));
    return moved;
  });

/** Heart rate raised into exercise ranges for part of each hour: bouts, recovery and zones. */
const exercising = (records) =>
  records.map((r) => ({ ...r, samples: r.samples.map((x) => (new Date(x.timeEpochMillis).getUTCMinutes() < 25 ? { ...x, beatsPerMinute: Math.min(215, x.beatsPerMinute + 55) } : x)) }));

const METADATA = [undefined, { age: 52, user_timezone_offset: "-05:00" }, { age: "71", utc_offset: "+05:30" }];

function variants(type, records) {
  const out = METADATA.map((metadata, m) => ({ name: `as-is/meta${m}`, records, metadata }));
  out.push(
    { name: "reversed", records: [...records].reverse() },
    { name: "shuffled", records: shuffled(records, records.length + 17) },
    { name: "repeated", records: [...records, ...records.slice(0, Math.ceil(records.length / 2))] },
    { name: "first-1", records: records.slice(0, 1) },
    { name: "first-3", records: records.slice(0, 3), metadata: METADATA[1] },
    { name: "corrupted", records: corrupted(type, records), metadata: METADATA[2] },
    { name: "empty", records: [] },
    { name: "re-identified", records: [...records, ...reIdentified(records)] },
    { name: "second-source", records: [...records, ...secondSource(records)], metadata: METADATA[1] },
  );
  if (type === "HeartRateRecord") out.push({ name: "exercising", records: exercising(records), metadata: METADATA[1] });
  return out;
}

/** Files as [label, type, bytes]: the real samples, then generated exports of two sizes (encoded, so they decode like uploads). */
function* corpus() {
  if (!existsSync(samplesDir)) throw new Error(`real samples not found at ${samplesDir} (set HEALTH_CONNECT_SAMPLES)`);
  for (const name of readdirSync(samplesDir).filter((f) => f.endsWith(".avro")).sort()) {
    yield [`sample/${name}`, name.split("_")[0], readFileSync(join(samplesDir, name))];
  }
  const sets = [
    ...[0, 1, 2, 3].map((userIndex) => ({ seed: "bench", userIndex, days: 7, startDate: "2025-09-15" })),
    { seed: "bench", userIndex: 0, days: 60, startDate: "2025-09-15" },
  ];
  for (const options of sets) {
    const data = generateSyntheticExport(options);
    for (const [type, records] of Object.entries(data.records)) {
      yield [`generated/${options.days}d/user${options.userIndex}/${type}`, type, encodeHealthConnect(type, records)];
    }
  }
}

const registry = createDefaultRegistry();
await registry.initializeAll();
const validator = new DataQualityValidator({ maxRecordsPerFile: 10_000_000 });
const lines = [];
const perType = new Map();
for (const [label, type, bytes] of corpus()) {
  const decoded = decodeHealthConnect(bytes, { expectedType: type, maxRecords: 10_000_000 }).records;
  const processor = registry.get(type);
  for (const v of variants(type, decoded)) {
    const validation = validator.validate(type, v.records);
    let result;
    try {
      const out = await processor.processWithClinicalInsights(v.records, sampleMessage(type, { healthMetadata: v.metadata }), validation);
      result = Object.fromEntries(Object.entries(out).filter(([key]) => key !== "processingTimeSeconds"));
    } catch (error) {
      result = { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    const line = JSON.stringify({ case: `${label}#${v.name}`, records: v.records.length, result });
    lines.push(line);
    perType.set(type, (perType.get(type) ?? createHash("sha256")).update(`${line}\n`));
  }
}
await registry.cleanupAll();

const text = `${lines.join("\n")}\n`;
writeFileSync(outFile, text);
const sha = createHash("sha256").update(text).digest("hex");
for (const [type, hash] of [...perType].sort(([a], [b]) => (a < b ? -1 : 1))) console.log(`  ${type.padEnd(32)} ${hash.digest("hex")}`);
console.log(`${lines.length} runs written to ${outFile}`);
console.log(`golden sha256 ${sha}`);
if (args.includes("--update")) {
  writeFileSync(hashFile, `${sha}\n`);
  console.log(`written to ${hashFile}`);
} else if (expected !== sha) {
  console.error(`golden output CHANGED: expected ${expected ?? "(no bench/golden-outputs.sha256)"}`);
  process.exitCode = 1;
} else {
  console.log("golden output unchanged");
}
