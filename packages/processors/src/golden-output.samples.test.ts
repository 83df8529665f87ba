import { createHash } from "node:crypto";
import { decodeHealthConnect } from "@narrative-engine/avro";
import { isRecordType, type RecordOf, type RecordType } from "@narrative-engine/contracts";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { expect, test } from "vitest";
import { createDefaultRegistry } from "./create-default-registry.ts";
import { sampleMessage, sampleValidation } from "./testing/index.ts";

/**
 * sha256 of every processor's output on the real samples (see {@link canonicalOutputs}).
 * It changes only when a processor's output changes: a deliberate change of a narrative or an
 * insight updates it in the same commit; a performance change must leave it as it is.
 * `bench/golden-outputs.mjs` guards the same way over generated exports too.
 */
const GOLDEN_SHA256 = "ecd2bb287047eddf5e631ad3278d9921eeeca4929757ed4e8d17dfa496e49124";

const METADATA: readonly (Record<string, unknown> | undefined)[] = [undefined, { age: 52, user_timezone_offset: "-05:00" }, { age: "71", utc_offset: "+05:30" }];

/** The same records reordered and repeated: results depend on input order only where the rules say so (first id wins). */
function variants(records: readonly RecordOf<RecordType>[]): { name: string; records: readonly RecordOf<RecordType>[]; metadata?: Record<string, unknown> }[] {
  const rotated = [...records.slice(records.length >> 1), ...records.slice(0, records.length >> 1)];
  return [
    ...METADATA.map((metadata, i) => ({ name: `as-is/meta${i}`, records, ...(metadata === undefined ? {} : { metadata }) })),
    { name: "reversed", records: [...records].reverse() },
    { name: "rotated", records: rotated },
    { name: "repeated", records: [...records, ...records.slice(0, Math.ceil(records.length / 2))] },
    { name: "first-1", records: records.slice(0, 1) },
  ];
}

/** One JSON line per run: the result without its timing, keys in the order the processor wrote them. */
async function canonicalOutputs(): Promise<string> {
  const registry = createDefaultRegistry();
  const lines: string[] = [];
  for (const file of sampleFiles()) {
    const type: unknown = file.recordType;
    if (!isRecordType(type)) continue;
    const records = decodeHealthConnect(readSample(file.name), { expectedType: type }).records;
    const processor = registry.get<RecordType>(type);
    for (const v of variants(records)) {
      const message = sampleMessage(type, { healthMetadata: v.metadata });
      const { processingTimeSeconds: _timing, ...result } = await processor.processWithClinicalInsights(v.records, message, sampleValidation(type));
      lines.push(JSON.stringify({ case: `${file.name}#${v.name}`, result }));
    }
  }
  return `${lines.join("\n")}\n`;
}

describeWithSamples("golden output of every processor on the real samples", () => {
  test("is byte-for-byte what it was", async () => {
    const text = await canonicalOutputs();
    expect(createHash("sha256").update(text).digest("hex")).toBe(GOLDEN_SHA256);
  });
});
