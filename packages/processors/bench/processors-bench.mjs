// Processor CPU cost per record, warm, against a bare decode of the same records as the baseline
// (so the figure is also a ratio that survives a slower or busier machine).
//
//   pnpm --filter @narrative-engine/processors bench [--json] [--quick]
//
// Per record type: the mix (the real samples plus generated exports of 4 users x 7 days and
// 1 user x 60 days, each file processed on its own as the worker does) and one large generated
// file; then glucose from 1k to 500k records in one file, which should cost the same per record.
// CPU time (process.cpuUsage), not wall time: the machine is shared; each figure is the lowest of
// ROUNDS rounds, so a burst of contention from other work does not decide it. BENCH_MS sets how
// long each round lasts (default 300 ms, 100 with --quick).
//
// BASELINE_DIST=/path/to/other/processors/dist measures that build too, in the same run, and
// prints both (e.g. a build of main, to report a speed-up measured under the same conditions).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeHealthConnect, encodeHealthConnect } from "@narrative-engine/avro";
import { sampleMessage, sampleValidation } from "../dist/testing/index.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const workerDist = join(ROOT, "apps/worker/dist/index.js");
if (!existsSync(workerDist)) throw new Error(`${workerDist} is missing: build first (pnpm exec turbo run build --filter @narrative-engine/worker...)`);
const { generateGlucoseSeries, generateSyntheticExport } = await import(pathToFileURL(workerDist).href);

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const JSON_OUT = args.includes("--json");
const BENCH_MS = Number(process.env.BENCH_MS ?? (QUICK ? 100 : 300));
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const GROWTH = QUICK ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 500_000];
const samplesDir = process.env.HEALTH_CONNECT_SAMPLES ?? resolve(ROOT, "../shared/samples/health-connect");
const TYPES = ["BloodGlucoseRecord", "HeartRateRecord", "SleepSessionRecord", "StepsRecord", "ActiveCaloriesBurnedRecord", "HeartRateVariabilityRmssdRecord"];
const START = "2025-09-15";
const log = (line) => {
  if (!JSON_OUT) console.log(line);
};

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * CPU µs per record of each of `runs` (each handles `records` records per call): warm-up, then
 * the lowest of ROUNDS rounds of BENCH_MS CPU each. The runs take turns round by round, so a
 * burst of contention cannot favour one of them.
 */
async function perRecordUsEach(runs, records) {
  const warm = Math.max(3, Math.ceil(20_000 / Math.max(records, 1)));
  for (const run of runs) for (let i = 0; i < warm; i++) await run();
  const best = runs.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, run] of runs.entries()) {
      let calls = 0;
      const start = cpuMs();
      do {
        await run();
        calls++;
      } while (cpuMs() - start < BENCH_MS);
      best[k] = Math.min(best[k], ((cpuMs() - start) * 1000) / (calls * records));
    }
  }
  return best;
}

const perRecordUs = async (run, records) => (await perRecordUsEach([run], records))[0];

/** Files of `type` as { bytes, records } (decoded once; the processor figure excludes decoding). */
function file(type, bytes) {
  return { bytes, records: decodeHealthConnect(bytes, { expectedType: type, maxRecords: 10_000_000 }).records };
}

function mixFiles(type) {
  const files = [];
  if (existsSync(samplesDir)) {
    for (const name of readdirSync(samplesDir).filter((f) => f.startsWith(`${type}_`) && f.endsWith(".avro")).sort()) files.push(file(type, readFileSync(join(samplesDir, name))));
  } else {
    log(`(real samples not found at ${samplesDir}; the mix is generated data only)`);
  }
  for (const data of generated) files.push(file(type, encodeHealthConnect(type, data.records[type])));
  return files;
}

const generated = [
  ...[0, 1, 2, 3].map((userIndex) => generateSyntheticExport({ seed: "bench", userIndex, days: 7, startDate: START })),
  generateSyntheticExport({ seed: "bench", userIndex: 0, days: 60, startDate: START }),
];
const year = generateSyntheticExport({ seed: "bench-large", userIndex: 0, days: QUICK ? 120 : 365, startDate: START });

async function registryOf(dist) {
  const { createDefaultRegistry } = await import(pathToFileURL(join(dist, "index.js")).href);
  const registry = createDefaultRegistry();
  await registry.initializeAll();
  return registry;
}
const registry = await registryOf(join(import.meta.dirname, "../dist"));
const baselineDist = process.env.BASELINE_DIST;
const baseline = baselineDist === undefined ? undefined : await registryOf(resolve(baselineDist));
const validation = (type) => sampleValidation(type);

/** A run processing every file (each on its own, as the worker does) with `reg`. */
function processRun(reg, type, files) {
  const processor = reg.get(type);
  const message = sampleMessage(type);
  const v = validation(type);
  return async () => {
    for (const f of files) await processor.processWithClinicalInsights(f.records, message, v);
  };
}

/** Processor and decode µs/record over a set of files, each file processed (and decoded) on its own. */
async function measureFiles(type, files) {
  const total = files.reduce((sum, f) => sum + f.records.length, 0);
  const [processUs, baselineUs] = await perRecordUsEach([processRun(registry, type, files), ...(baseline === undefined ? [] : [processRun(baseline, type, files)])], total);
  const decodeUs = await perRecordUs(() => {
    for (const f of files) decodeHealthConnect(f.bytes, { expectedType: type, maxRecords: 10_000_000 });
  }, total);
  return {
    files: files.length,
    records: total,
    process_us: round(processUs),
    decode_us: round(decodeUs),
    ratio_to_decode: round(processUs / decodeUs),
    ...(baselineUs === undefined ? {} : { baseline_process_us: round(baselineUs), speedup: round(baselineUs / processUs) }),
  };
}

function round(n) {
  return Math.round(n * 1000) / 1000;
}

const result = { bench_ms: BENCH_MS, node: process.version, types: {}, glucose_growth: [] };
log(`processors: warm CPU µs per record (decode = bare decodeHealthConnect of the same bytes; ratio = process ÷ decode), lowest of ${ROUNDS} × ${BENCH_MS} ms`);
if (baseline !== undefined) log(`baseline build: ${baselineDist} (its µs/record and the speed-up follow each row)`);
log(`${"type".padEnd(32)} ${"mix: recs".padStart(10)} ${"process".padStart(8)} ${"decode".padStart(8)} ${"ratio".padStart(6)}   ${"large: recs".padStart(11)} ${"process".padStart(8)} ${"decode".padStart(8)} ${"ratio".padStart(6)}`);
for (const type of TYPES) {
  const mix = await measureFiles(type, mixFiles(type));
  const largeFile =
    type === "BloodGlucoseRecord"
      ? file(type, encodeHealthConnect(type, generateGlucoseSeries({ seed: "bench-large", userIndex: 0, days: 1, startDate: START, count: 100_000 }).records))
      : file(type, encodeHealthConnect(type, year.records[type]));
  const large = await measureFiles(type, [largeFile]);
  result.types[type] = { mix, large };
  const f = (n) => n.toFixed(3).padStart(8);
  log(`${type.padEnd(32)} ${String(mix.records).padStart(10)} ${f(mix.process_us)} ${f(mix.decode_us)} ${f(mix.ratio_to_decode).slice(2)}   ${String(large.records).padStart(11)} ${f(large.process_us)} ${f(large.decode_us)} ${f(large.ratio_to_decode).slice(2)}`);
  if (baseline !== undefined) log(`${"  baseline build, speed-up".padEnd(32)} ${"".padStart(10)} ${f(mix.baseline_process_us)} ${`${mix.speedup.toFixed(2)}x`.padStart(8)} ${"".padStart(6)}   ${"".padStart(11)} ${f(large.baseline_process_us)} ${`${large.speedup.toFixed(2)}x`.padStart(8)}`);
}

const mixProcess = Object.values(result.types).reduce((s, t) => s + t.mix.process_us * t.mix.records, 0);
const mixDecode = Object.values(result.types).reduce((s, t) => s + t.mix.decode_us * t.mix.records, 0);
const mixRecords = Object.values(result.types).reduce((s, t) => s + t.mix.records, 0);
result.mix_all_types = { records: mixRecords, process_us: round(mixProcess / mixRecords), decode_us: round(mixDecode / mixRecords), ratio_to_decode: round(mixProcess / mixDecode) };
log(`${"all types, mix".padEnd(32)} ${String(mixRecords).padStart(10)} ${result.mix_all_types.process_us.toFixed(3).padStart(8)} ${result.mix_all_types.decode_us.toFixed(3).padStart(8)} ${result.mix_all_types.ratio_to_decode.toFixed(3).padStart(6)}`);
if (baseline !== undefined) {
  const mixBaseline = Object.values(result.types).reduce((s, t) => s + t.mix.baseline_process_us * t.mix.records, 0);
  result.mix_all_types.baseline_process_us = round(mixBaseline / mixRecords);
  result.mix_all_types.speedup = round(mixBaseline / mixProcess);
  log(`${"  baseline build, speed-up".padEnd(32)} ${"".padStart(10)} ${result.mix_all_types.baseline_process_us.toFixed(3).padStart(8)} ${`${result.mix_all_types.speedup.toFixed(2)}x`.padStart(8)}`);
}

log("\nglucose, one file of N records: process µs/record (should stay flat)");
const glucose = registry.get("BloodGlucoseRecord");
for (const count of GROWTH) {
  const { records } = generateGlucoseSeries({ seed: "bench-growth", userIndex: 0, days: 1, startDate: START, count });
  const decoded = decodeHealthConnect(encodeHealthConnect("BloodGlucoseRecord", records), { expectedType: "BloodGlucoseRecord", maxRecords: 10_000_000 }).records;
  const message = sampleMessage("BloodGlucoseRecord");
  const v = validation("BloodGlucoseRecord");
  const [us, baselineUs] = await perRecordUsEach(
    [() => glucose.processWithClinicalInsights(decoded, message, v), ...(baseline === undefined ? [] : [() => baseline.get("BloodGlucoseRecord").processWithClinicalInsights(decoded, message, v)])],
    count,
  );
  result.glucose_growth.push({ records: count, process_us: round(us), ...(baselineUs === undefined ? {} : { baseline_process_us: round(baselineUs) }) });
  log(`  ${String(count).padStart(7)} records  ${us.toFixed(3)} µs/record${baselineUs === undefined ? "" : `   (baseline build ${baselineUs.toFixed(3)})`}`);
}
const growth = result.glucose_growth.map((g) => g.process_us);
result.glucose_growth_max_min = round(Math.max(...growth) / Math.min(...growth));
log(`  max/min ${result.glucose_growth_max_min.toFixed(2)}`);
await registry.cleanupAll();
await baseline?.cleanupAll();
if (JSON_OUT) console.log(JSON.stringify(result, null, 2));
