import { deflateRawSync } from "node:zlib";
import { AVRO_NAMESPACE, type RecordType } from "@narrative-engine/contracts";
import { SchemaError } from "@narrative-engine/errors";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import avro from "avsc";
import { describe, expect, expectTypeOf, test } from "vitest";
import { containerLayout, encodeRecord, glucoseRecord, splice, varint } from "./__fixtures__/craft-avro.ts";
import { writeContainer } from "./container-writer.ts";
import { decodeHealthConnect } from "./decode-health-connect.ts";
import { encodeHealthConnect } from "./encode-health-connect.ts";
import { HEALTH_CONNECT_SCHEMAS } from "./health-connect-schemas.ts";

const glucoseSchema = JSON.stringify(HEALTH_CONNECT_SCHEMAS.BloodGlucoseRecord);

function schemaErrorOf(run: () => unknown): SchemaError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).errorType).toBe("schema_error");
    return error as SchemaError;
  }
  throw new Error("expected a SchemaError, but decoding succeeded");
}

describeWithSamples("decodeHealthConnect on the real exports", () => {
  const expectedCounts: Record<string, number> = {
    BloodGlucoseRecord_1758407139312: 253,
    BloodGlucoseRecord_1758407245091: 252,
    BloodGlucoseRecord_1758407386729: 252,
    BloodGlucoseRecord_1758494067274: 252,
    BloodGlucoseRecord_1758554834823: 251,
    HeartRateRecord_1758407139312: 78,
    HeartRateRecord_1758407245091: 78,
    HeartRateRecord_1758407386729: 78,
    HeartRateRecord_1758494067274: 73,
    HeartRateRecord_1758554834823: 71,
    HeartRateVariabilityRmssdRecord_1758407139312: 74,
    HeartRateVariabilityRmssdRecord_1758407245091: 74,
    HeartRateVariabilityRmssdRecord_1758407386729: 74,
    SleepSessionRecord_1758407139312: 2,
    SleepSessionRecord_1758407245091: 2,
    SleepSessionRecord_1758407386729: 2,
    SleepSessionRecord_1758494067274: 1,
    SleepSessionRecord_1758554834823: 2,
    StepsRecord_1758407139312: 2,
    StepsRecord_1758407245091: 2,
    StepsRecord_1758407386729: 2,
    StepsRecord_1758494067274: 1,
    StepsRecord_1758554834823: 1,
    ActiveCaloriesBurnedRecord_1758407139312: 1,
    ActiveCaloriesBurnedRecord_1758407245091: 1,
    ActiveCaloriesBurnedRecord_1758407386729: 1,
  };

  test("all 26 sample files are present", () => {
    expect(sampleFiles().map((f) => f.name.replace(/\.avro$/, "")).sort()).toEqual(Object.keys(expectedCounts).sort());
  });

  test.each(sampleFiles().map((f) => [f.name, f.recordType as RecordType] as const))("%s decodes", (name, recordType) => {
    const decoded = decodeHealthConnect(readSample(name), { expectedType: recordType });
    expect(decoded.recordType).toBe(recordType);
    expect(decoded.schemaName).toBe(`${AVRO_NAMESPACE}.Avro${recordType}`);
    expect(decoded.codec).toBe("null");
    expect(decoded.records).toHaveLength(expectedCounts[name.replace(/\.avro$/, "")]!);
    expect(decoded.stats.count).toBe(decoded.records.length);
  });

  test("records are plain objects, nested values too", () => {
    const hr = decodeHealthConnect(readSample("HeartRateRecord_1758407139312.avro"), { expectedType: "HeartRateRecord" });
    const first = hr.records[0]!;
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(first.metadata)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(first.metadata.device)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(first.samples[0])).toBe(Object.prototype);
    expect(Object.keys(first)).toEqual([
      "metadata",
      "startTimeEpochMillis",
      "endTimeEpochMillis",
      "startZoneOffsetId",
      "endZoneOffsetId",
      "appRecordFetchTimeEpochMillis",
      "samples",
    ]);
    expect(first.metadata.clientRecordId).toBeNull();
    expect(structuredClone(first)).toEqual(first);
    const sleep = decodeHealthConnect(readSample("SleepSessionRecord_1758407139312.avro"), { expectedType: "SleepSessionRecord" });
    expect(Object.getPrototypeOf(sleep.records[0]!.stages[0])).toBe(Object.prototype);
  });

  test("stats of a glucose file", () => {
    const { stats, records } = decodeHealthConnect(readSample("BloodGlucoseRecord_1758407139312.avro"), { expectedType: "BloodGlucoseRecord" });
    expect(stats).toEqual({
      count: 253,
      firstTimestamp: 1758320751225,
      lastTimestamp: 1758396352781,
      sources: ["com.dexcom.stelo"],
      deviceTypes: ["UNKNOWN"],
    });
    const levels = records.map((r) => r.levelInMilligramsPerDeciliter);
    expect(Math.min(...levels)).toBe(83);
    expect(Math.max(...levels)).toBe(159);
    expect(records.every((r) => r.zoneOffsetId === "Z" && r.specimenSource === "INTERSTITIAL_FLUID")).toBe(true);
  });

  test("stats of interval records use start and end times and list every source", () => {
    const { stats } = decodeHealthConnect(readSample("HeartRateRecord_1758407139312.avro"));
    expect(stats).toEqual({
      count: 78,
      firstTimestamp: 1758321029350,
      lastTimestamp: 1758405629295,
      sources: ["com.ouraring.oura", "com.sec.android.app.shealth"],
      deviceTypes: ["RING", "UNKNOWN"],
    });
    const steps = decodeHealthConnect(readSample("StepsRecord_1758407139312.avro"), { expectedType: "StepsRecord" });
    expect(steps.records.map((r) => r.count).sort((a, b) => a - b)).toEqual([2517, 3933]);
  });

  test("the untyped result narrows on recordType", () => {
    const decoded = decodeHealthConnect(readSample("StepsRecord_1758407139312.avro"));
    if (decoded.recordType === "StepsRecord") {
      expectTypeOf(decoded.records[0]!.count).toEqualTypeOf<number>();
    }
    const typed = decodeHealthConnect(readSample("BloodGlucoseRecord_1758407139312.avro"), { expectedType: "BloodGlucoseRecord" });
    expectTypeOf(typed.records[0]!.levelInMilligramsPerDeciliter).toEqualTypeOf<number>();
    expect(decoded.recordType).toBe("StepsRecord");
  });

  test("a record type other than the message says is a SchemaError naming both", () => {
    const error = schemaErrorOf(() =>
      decodeHealthConnect(readSample("HeartRateRecord_1758407139312.avro"), { expectedType: "BloodGlucoseRecord" }),
    );
    expect(error.message).toBe("file holds HeartRateRecord but the message says BloodGlucoseRecord");
    expect(error.retriable).toBe(false);
  });

  test("more records than maxRecords is a SchemaError stating the limit", () => {
    const error = schemaErrorOf(() => decodeHealthConnect(readSample("BloodGlucoseRecord_1758407139312.avro"), { maxRecords: 100 }));
    expect(error.message).toMatch(/too many records: .*253 records, beyond the limit of 100 \(maxRecords\)/);
  });

  test("a Uint8Array view with an offset decodes like a Buffer", () => {
    const file = readSample("StepsRecord_1758407139312.avro");
    const backing = new Uint8Array(file.length + 10);
    backing.set(file, 7);
    const view = backing.subarray(7, 7 + file.length);
    expect(decodeHealthConnect(view).records).toEqual(decodeHealthConnect(file).records);
  });

  describe("crafted corruption of a real file", () => {
    const file = readSample("BloodGlucoseRecord_1758407139312.avro");
    const { dataStart, sync } = containerLayout(file);

    test.each([
      ["truncated header", () => file.subarray(0, 100), /^not a complete Avro container: the header is truncated/],
      ["truncated inside the sync marker of the header", () => file.subarray(0, dataStart - 3), /header is truncated \(the file ends inside the sync marker\)/],
      ["truncated block data", () => file.subarray(0, file.length - 500), /^truncated block 1 at byte \d+: the block declares \d+ bytes of data but only \d+ remain/],
      ["truncated block sync marker", () => file.subarray(0, file.length - 5), /^truncated block 1 at byte \d+: the file ends inside the block's sync marker/],
      ["truncated block header", () => file.subarray(0, dataStart + 1), /^truncated block 1 at byte \d+: the file ends inside the block header/],
      ["bad sync marker", () => Buffer.concat([file.subarray(0, file.length - 1), Buffer.from([file[file.length - 1]! ^ 0xff])]), /^corrupt block 1 at byte \d+: bad sync marker at byte \d+/],
      ["trailing garbage", () => Buffer.concat([file, Buffer.from("garbage after the end")]), /^trailing garbage at byte \d+: the 21 bytes after block 1 do not form a valid block/],
      ["trailing zero bytes", () => Buffer.concat([file, Buffer.alloc(4)]), /^trailing garbage at byte \d+: the 4 bytes after block 1/],
      ["bad magic", () => Buffer.concat([Buffer.from("PK\x03\x04"), file.subarray(4)]), /^not an Avro container file: it starts with 0x504b0304, not "Obj" followed by 0x01/],
      ["too short for magic", () => Buffer.from("Ob"), /^not an Avro container file: it has only 2 bytes/],
      ["JSON instead of Avro", () => Buffer.from('{"records": []}'), /^not an Avro container file/],
      ["a second copy of the file appended", () => Buffer.concat([file, file]), /^trailing garbage/],
      ["block size one byte short", () => {
        const size = file.length - dataStart - 16 - varint(253).length;
        const sizeBytes = varint(size - varint(size).length);
        return Buffer.concat([file.subarray(0, dataStart), varint(253), varint(size - varint(size).length - 1), file.subarray(dataStart + varint(253).length + sizeBytes.length)]);
      }, /^corrupt block 1 at byte \d+: bad sync marker/],
    ] as const)("%s", (_name, make, message) => {
      expect(schemaErrorOf(() => decodeHealthConnect(make())).message).toMatch(message);
    });

    test("the sync marker of the header is the one after the block", () => {
      expect(file.subarray(file.length - 16)).toEqual(sync);
    });
  });
});

describe("decodeHealthConnect on crafted files", () => {
  const record = glucoseRecord({ zoneOffsetId: "+09:45", timeEpochMillis: 1_700_000_000_123 });
  const recordBytes = encodeRecord("BloodGlucoseRecord", record);
  const container = (records: readonly Buffer[], schema = glucoseSchema) => writeContainer(schema, records);

  test("an empty container decodes to no records", () => {
    const decoded = decodeHealthConnect(container([]), { expectedType: "BloodGlucoseRecord" });
    expect(decoded.records).toEqual([]);
    expect(decoded.stats).toEqual({ count: 0, firstTimestamp: null, lastTimestamp: null, sources: [], deviceTypes: [] });
  });

  test("a crafted record decodes to the same plain object", () => {
    expect(decodeHealthConnect(container([recordBytes, recordBytes])).records).toEqual([record, record]);
  });

  test("a long beyond 2^53 is a SchemaError naming the field", () => {
    const forged = splice(recordBytes, varint(1_700_000_000_123), varint(2n ** 60n));
    const error = schemaErrorOf(() => decodeHealthConnect(container([forged])));
    expect(error.message).toBe("long beyond 2^53 at timeEpochMillis (block 1, record 1)");
  });

  test.each([
    [2n ** 53n - 2n, true],
    [-(2n ** 52n), true],
    [-(2n ** 52n) - 1n, false],
    [2n ** 53n - 1n, false],
    [-(2n ** 53n), false],
    [2n ** 63n - 1n, false],
  ])("long %s at the edge of precision decodes: %s", (value, ok) => {
    const forged = splice(recordBytes, varint(1_700_000_000_123), varint(value));
    const run = () => decodeHealthConnect(container([forged]), { expectedType: "BloodGlucoseRecord" });
    if (ok) expect(run().records[0]!.timeEpochMillis).toBe(Number(value));
    else expect(schemaErrorOf(run).message).toMatch(/^long beyond 2\^53 at timeEpochMillis/);
  });

  test("an invalid enum symbol index is a SchemaError", () => {
    const level = Buffer.alloc(8);
    level.writeDoubleLE(record.levelInMilligramsPerDeciliter);
    const forged = splice(recordBytes, Buffer.concat([level, Buffer.from([0x00])]), Buffer.concat([level, varint(9)]));
    expect(schemaErrorOf(() => decodeHealthConnect(container([forged]))).message).toBe(
      "invalid enum symbol index 9 at specimenSource (the enum has 7 symbols) (block 1, record 1)",
    );
  });

  test("an invalid union branch index is a SchemaError", () => {
    const zone = Buffer.concat([Buffer.from([0x02, 0x0c]), Buffer.from("+09:45")]);
    const forged = splice(recordBytes, zone, Buffer.concat([Buffer.from([0x06, 0x0c]), Buffer.from("+09:45")]));
    expect(schemaErrorOf(() => decodeHealthConnect(container([forged]))).message).toBe(
      "invalid union branch index 3 at zoneOffsetId (the union has 2 branches) (block 1, record 1)",
    );
  });

  test("a record running past its block is a SchemaError", () => {
    const file = container([recordBytes.subarray(0, recordBytes.length - 3)]);
    expect(schemaErrorOf(() => decodeHealthConnect(file)).message).toMatch(/^block 1 is corrupt: record 1 runs past the end of the block/);
  });

  test("records that leave bytes unused in their block are a SchemaError", () => {
    const file = container([Buffer.concat([recordBytes, Buffer.from([0, 0])])]);
    expect(schemaErrorOf(() => decodeHealthConnect(file)).message).toBe(
      `block 1 is corrupt: its 1 records use ${recordBytes.length} bytes but the block holds ${recordBytes.length + 2}`,
    );
  });

  test("a schema we do not know is a SchemaError naming the record", () => {
    const schema = JSON.stringify({ type: "record", name: "Foo", namespace: "com.example", fields: [{ name: "x", type: "long" }] });
    expect(schemaErrorOf(() => decodeHealthConnect(container([varint(1)], schema))).message).toMatch(
      /^unknown record schema com\.example\.Foo: expected one of AvroBloodGlucoseRecord, AvroHeartRateRecord/,
    );
  });

  test.each([
    ["not JSON", "{nope", /^the file's avro.schema header is not valid JSON/],
    ["not a record", '"string"', /^the file's schema is not a record schema/],
    ["an invalid Avro schema", JSON.stringify({ type: "record", name: "AvroStepsRecord", fields: [{ name: "count", type: "nonsense" }] }), /^the file's schema AvroStepsRecord is not a valid Avro schema/],
    ["an incompatible schema", glucoseSchema.replace('{"name":"id","type":"string"}', '{"name":"id","type":"double"}'), /^the file's schema io\..*AvroBloodGlucoseRecord cannot be read as BloodGlucoseRecord/],
  ])("a header schema that is %s is a SchemaError", (_name, schema, message) => {
    expect(schemaErrorOf(() => decodeHealthConnect(container([], schema))).message).toMatch(message);
  });

  test("a writer schema with extra optional fields still decodes into our shape", () => {
    const schema = JSON.parse(glucoseSchema) as { fields: { name: string; type: unknown }[] };
    const metadata = schema.fields[0]!.type as { fields: unknown[] };
    metadata.fields.push({ name: "recordingMethod", type: ["null", "int"], default: null });
    schema.fields.splice(2, 0, { name: "extraNote", type: ["null", "string"], default: null } as never);
    schema.fields.push({ name: "tags", type: { type: "array", items: "string" }, default: [] } as never);
    const writer = avro.Type.forSchema(schema as avro.Schema);
    const bytes = writer.toBuffer({ ...record, metadata: { ...record.metadata, recordingMethod: 2 }, extraNote: "calibrated", tags: ["a", "b"] });
    const decoded = decodeHealthConnect(container([bytes], JSON.stringify(schema)), { expectedType: "BloodGlucoseRecord" });
    expect(decoded.records).toEqual([record]);
    expect(decoded.schemaName).toBe(`${AVRO_NAMESPACE}.AvroBloodGlucoseRecord`);
  });

  test("a writer schema without the Avro prefix and namespace decodes", () => {
    const plain = glucoseSchema.replaceAll('"name":"Avro', '"name":"').replace(`,"namespace":"${AVRO_NAMESPACE}"`, "");
    const decoded = decodeHealthConnect(container([recordBytes], plain), { expectedType: "BloodGlucoseRecord" });
    expect(decoded.schemaName).toBe("BloodGlucoseRecord");
    expect(decoded.records).toEqual([record]);
  });

  test("a deflate file decodes", () => {
    const file = encodeHealthConnect("BloodGlucoseRecord", [record, record, record], { codec: "deflate", recordsPerBlock: 2 });
    const decoded = decodeHealthConnect(file);
    expect(decoded.codec).toBe("deflate");
    expect(decoded.records).toEqual([record, record, record]);
  });

  test("a deflate block that inflates beyond the cap is a SchemaError", () => {
    const bomb = deflateRawSync(Buffer.alloc(4 * 1024 * 1024));
    const sync = Buffer.alloc(16, 7);
    const header = writeContainer(glucoseSchema, [], { codec: "deflate", syncMarker: sync });
    const file = Buffer.concat([header, varint(1), varint(bomb.length), bomb, sync]);
    expect(schemaErrorOf(() => decodeHealthConnect(file, { maxInflatedBytes: 1024 * 1024 })).message).toMatch(
      /^block 1 at byte \d+ does not inflate within the limit of 1048576 bytes/,
    );
  });

  test("an unsupported codec is a SchemaError", () => {
    const file = writeContainer(glucoseSchema, []);
    const forged = splice(file, Buffer.concat([varint(4), Buffer.from("null")]), Buffer.concat([varint(6), Buffer.from("snappy")]));
    expect(schemaErrorOf(() => decodeHealthConnect(forged)).message).toBe('unsupported Avro codec "snappy" (supported: null, deflate)');
  });

  test("a header without avro.schema is a SchemaError", () => {
    const file = Buffer.concat([Buffer.from("Obj\x01", "latin1"), varint(0), Buffer.alloc(16)]);
    expect(schemaErrorOf(() => decodeHealthConnect(file)).message).toBe("Avro container header has no avro.schema entry");
  });
});
