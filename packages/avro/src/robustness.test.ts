import { SchemaError } from "@narrative-engine/errors";
import { describeWithSamples, readSample, sampleFiles, seededRandom } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { containerLayout, encodeRecord, glucoseRecord, varint } from "./__fixtures__/craft-avro.ts";
import { writeContainer } from "./container-writer.ts";
import { decodeHealthConnect } from "./decode-health-connect.ts";
import { encodeHealthConnect } from "./encode-health-connect.ts";
import { HEALTH_CONNECT_SCHEMAS } from "./health-connect-schemas.ts";

type Outcome = "decoded" | "schema_error";

function outcomeOf(bytes: Buffer): Outcome {
  try {
    decodeHealthConnect(bytes);
    return "decoded";
  } catch (error) {
    if (!(error instanceof SchemaError)) throw new Error(`decoding failed with ${String(error)} instead of a SchemaError`, { cause: error });
    // Our bounded reader should catch every corruption itself; this fallback means it missed one.
    expect(error.message).not.toMatch(/^unexpected failure/);
    return "schema_error";
  }
}

describeWithSamples("random corruption of the real exports", () => {
  const files = sampleFiles().map((f) => readSample(f.name));
  // Deflate copies exercise the inflate path with the same corruption.
  const deflated = sampleFiles()
    .slice(0, 6)
    .map((f) => {
      const decoded = decodeHealthConnect(readSample(f.name));
      return encodeHealthConnect(decoded.recordType, decoded.records as never[], { codec: "deflate", recordsPerBlock: 50 });
    });
  const corpus = [...files, ...deflated];

  const mutations: Record<string, (file: Buffer, rand: () => number) => Buffer> = {
    truncate: (file, rand) => file.subarray(0, Math.floor(rand() * file.length)),
    "flip bytes": (file, rand) => {
      const copy = Buffer.from(file);
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(rand() * copy.length);
        copy[at] = copy[at]! ^ (1 + Math.floor(rand() * 255));
      }
      return copy;
    },
    "flip bytes in the data": (file, rand) => {
      const copy = Buffer.from(file);
      const { dataStart } = containerLayout(file);
      const at = dataStart + Math.floor(rand() * (copy.length - dataStart));
      copy[at] = copy[at]! ^ (1 << Math.floor(rand() * 8));
      return copy;
    },
    "huge varint": (file, rand) => {
      const at = Math.floor(rand() * file.length);
      const value = BigInt(Math.floor(rand() * 2 ** 31)) * (rand() < 0.5 ? 1n : -1n) * 2n ** BigInt(Math.floor(rand() * 34));
      return Buffer.concat([file.subarray(0, at), varint(value), file.subarray(at + 1)]);
    },
    "insert bytes": (file, rand) => {
      const at = Math.floor(rand() * file.length);
      const extra = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 16) }, () => Math.floor(rand() * 256)));
      return Buffer.concat([file.subarray(0, at), extra, file.subarray(at)]);
    },
  };

  test.each(Object.keys(mutations))("300 seeded mutations (%s) each end in a decode or a SchemaError", (name) => {
    const rand = seededRandom(0x5eed + name.length * 7919);
    const mutate = mutations[name]!;
    const counts: Record<Outcome, number> = { decoded: 0, schema_error: 0 };
    for (let i = 0; i < 300; i++) {
      const source = corpus[i % corpus.length]!;
      counts[outcomeOf(mutate(source, rand))]++;
    }
    expect(counts.decoded + counts.schema_error).toBe(300);
    expect(counts.schema_error).toBeGreaterThan(0);
  });

  test("every truncation of a small file ends in a SchemaError, except the bare header (a valid empty file)", () => {
    const file = readSample("StepsRecord_1758407139312.avro");
    const { dataStart } = containerLayout(file);
    for (let length = 0; length < file.length; length++) {
      expect(outcomeOf(file.subarray(0, length))).toBe(length === dataStart ? "decoded" : "schema_error");
    }
  });
});

describe("forged counts and lengths fail fast without allocating", () => {
  const glucoseSchema = JSON.stringify(HEALTH_CONNECT_SCHEMAS.BloodGlucoseRecord);
  const heartRateSchema = JSON.stringify(HEALTH_CONNECT_SCHEMAS.HeartRateRecord);
  const sync = Buffer.alloc(16, 0xab);
  const header = (schema: string) => writeContainer(schema, [], { syncMarker: sync });
  const block = (count: bigint | number, data: Buffer) => Buffer.concat([varint(count), varint(data.length), data, sync]);
  const glucose = encodeRecord("BloodGlucoseRecord", glucoseRecord());
  const heartRate = encodeRecord("HeartRateRecord", {
    metadata: glucoseRecord().metadata,
    startTimeEpochMillis: 1,
    endTimeEpochMillis: 2,
    startZoneOffsetId: null,
    endZoneOffsetId: null,
    appRecordFetchTimeEpochMillis: 3,
    samples: [],
  });
  // The samples array is the last field: its terminating 0 count is the record's last byte.
  const withSampleCount = (count: bigint, tail: Buffer = Buffer.alloc(0)) =>
    Buffer.concat([heartRate.subarray(0, heartRate.length - 1), varint(count), tail]);

  test.each([
    ["a block count of 2^31", () => Buffer.concat([header(glucoseSchema), block(2n ** 31n, glucose)]), /^block 1 at byte \d+ claims 2147483648 records in \d+ bytes/],
    ["a block count of 2^52", () => Buffer.concat([header(glucoseSchema), block(2n ** 52n, glucose)]), /claims 4503599627370496 records/],
    ["a block count of 2^62", () => Buffer.concat([header(glucoseSchema), block(2n ** 62n, glucose)]), /^corrupt block 1 at byte \d+: invalid block header: long beyond 2\^53 at record count/],
    ["an array count of three billion", () => Buffer.concat([header(heartRateSchema), block(1, withSampleCount(3_000_000_000n))]), /^array samples claims 3000000000 items but only 0 bytes remain \(block 1, record 1\)/],
    ["a negative (sized) array count of three billion", () => Buffer.concat([header(heartRateSchema), block(1, withSampleCount(-3_000_000_000n, varint(4)))]), /samples block size claims 4 bytes but only 0 remain|array samples claims 3000000000 items/],
    ["a string length beyond the file", () => Buffer.concat([header(glucoseSchema), block(1, Buffer.concat([varint(2n ** 40n), glucose.subarray(1)]))]), /^metadata\.id claims 1099511627776 bytes but only \d+ remain \(block 1, record 1\)/],
    ["a header map count in the billions", () => Buffer.concat([Buffer.from("Obj\x01", "latin1"), varint(5_000_000_000n), Buffer.alloc(40)]), /header metadata claims 5000000000 entries/],
    ["a header key length beyond the file", () => Buffer.concat([Buffer.from("Obj\x01", "latin1"), varint(1), varint(2n ** 33n), Buffer.alloc(40)]), /header is truncated \(header metadata key claims 8589934592 bytes/],
  ] as const)("%s", (_name, make, message) => {
    const heapBefore = process.memoryUsage().heapUsed;
    let caught: unknown;
    try {
      decodeHealthConnect(make());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SchemaError);
    expect((caught as Error).message).toMatch(message);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
