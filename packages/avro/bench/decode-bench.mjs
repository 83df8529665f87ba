// Decoding throughput: decodeHealthConnect (bounded walk + avsc decode + plain objects + stats)
// against bare avsc over the same in-memory bytes. Run: pnpm --filter @narrative-engine/avro bench
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import avro from "avsc";
import { decodeHealthConnect } from "../dist/index.js";

const samplesDir = process.env.HEALTH_CONNECT_SAMPLES ?? join(import.meta.dirname, "../../../../shared/samples/health-connect");
const files = ["BloodGlucoseRecord_1758407139312.avro", "HeartRateRecord_1758407139312.avro"];
const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);

function measure(run) {
  // Warm up, then count records decoded in DURATION_MS.
  for (let i = 0; i < 50; i++) run();
  let records = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) records += run();
  return records / ((performance.now() - start) / 1000);
}

// What most code does with a file: a BlockDecoder stream (it parses the header schema per file).
async function blockDecoderRate(bytes) {
  const once = () =>
    new Promise((resolve, reject) => {
      const decoder = new avro.streams.BlockDecoder();
      let count = 0;
      decoder.on("data", () => count++);
      decoder.on("end", () => resolve(count));
      decoder.on("error", reject);
      decoder.end(bytes);
    });
  for (let i = 0; i < 50; i++) await once();
  let records = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) records += await once();
  return records / ((performance.now() - start) / 1000);
}

function rawAvscRate(bytes) {
  // The tightest avsc loop: the file's own type decoding record after record, no checks, class instances.
  const header = avro.Type.forSchema({
    type: "record",
    name: "Header",
    fields: [
      { name: "magic", type: { type: "fixed", name: "Magic", size: 4 } },
      { name: "meta", type: { type: "map", values: "bytes" } },
      { name: "sync", type: { type: "fixed", name: "Sync", size: 16 } },
    ],
  });
  const { value, offset } = header.decode(bytes, 0);
  const type = avro.Type.forSchema(JSON.parse(value.meta["avro.schema"].toString()));
  const long = avro.Type.forSchema("long");
  return measure(() => {
    let pos = offset;
    const count = long.decode(bytes, pos);
    const size = long.decode(bytes, count.offset);
    pos = size.offset;
    for (let i = 0; i < count.value; i++) pos = type.decode(bytes, pos).offset;
    return count.value;
  });
}

const format = (n) => Math.round(n).toLocaleString("en-US").padStart(10);
console.log(`decode throughput, ${DURATION_MS} ms per measurement (records/s)`);
for (const name of files) {
  const bytes = readFileSync(join(samplesDir, name));
  const ours = measure(() => decodeHealthConnect(bytes).records.length);
  const stream = await blockDecoderRate(bytes);
  const raw = rawAvscRate(bytes);
  console.log(`\n${name} (${bytes.length} bytes)`);
  console.log(`  decodeHealthConnect        ${format(ours)}`);
  console.log(`  avsc BlockDecoder (bare)   ${format(stream)}   ratio ${(ours / stream).toFixed(2)}x`);
  console.log(`  avsc Type.decode loop      ${format(raw)}   ratio ${(ours / raw).toFixed(2)}x`);
}
