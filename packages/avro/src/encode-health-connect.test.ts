import type { RecordType } from "@narrative-engine/contracts";
import { ValidationError } from "@narrative-engine/errors";
import { describeWithSamples, readSample, sampleFiles } from "@narrative-engine/test-kit";
import { describe, expect, test } from "vitest";
import { containerLayout, glucoseRecord } from "./__fixtures__/craft-avro.ts";
import { readContainerHeader } from "./container-header.ts";
import { decodeHealthConnect } from "./decode-health-connect.ts";
import { encodeHealthConnect } from "./encode-health-connect.ts";
import { HEALTH_CONNECT_SCHEMAS, schemaFor } from "./health-connect-schemas.ts";

const samples = sampleFiles().map((f) => [f.name, f.recordType as RecordType] as const);

describeWithSamples("encodeHealthConnect against the real exports", () => {
  test.each(samples)("%s: our schema is the file's schema", (name, type) => {
    const header = readContainerHeader(readSample(name));
    expect(JSON.parse(header.schemaJson)).toEqual(HEALTH_CONNECT_SCHEMAS[type]);
    expect(schemaFor(type)).toBe(HEALTH_CONNECT_SCHEMAS[type]);
  });

  test.each(samples)("%s: decode → encode → decode gives the same records", (name, type) => {
    const first = decodeHealthConnect(readSample(name), { expectedType: type });
    const again = decodeHealthConnect(encodeHealthConnect(type, first.records), { expectedType: type });
    expect(again.records).toEqual(first.records);
    expect(again.stats).toEqual(first.stats);
  });

  test.each(samples)("%s: re-encoding with the file's sync marker reproduces its block byte for byte", (name, type) => {
    const file = readSample(name);
    const { dataStart, sync } = containerLayout(file);
    const records = decodeHealthConnect(file, { expectedType: type }).records;
    const encoded = encodeHealthConnect(type, records, { syncMarker: sync, recordsPerBlock: 100_000 });
    const encodedStart = containerLayout(encoded).dataStart;
    expect(Buffer.compare(encoded.subarray(encodedStart), file.subarray(dataStart))).toBe(0);
  });

  test("small blocks and a custom sync marker round-trip", () => {
    const records = decodeHealthConnect(readSample("HeartRateRecord_1758407139312.avro"), { expectedType: "HeartRateRecord" }).records;
    const sync = Buffer.from("0123456789abcdef");
    const encoded = encodeHealthConnect("HeartRateRecord", records, { syncMarker: sync, recordsPerBlock: 7 });
    expect(readContainerHeader(encoded).sync).toEqual(sync);
    // 78 records in blocks of 7 → 12 blocks, each followed by the marker (plus the header's).
    let markers = 0;
    for (let at = encoded.indexOf(sync); at >= 0; at = encoded.indexOf(sync, at + 1)) markers++;
    expect(markers).toBe(13);
    expect(decodeHealthConnect(encoded, { expectedType: "HeartRateRecord" }).records).toEqual(records);
  });
});

describe("encodeHealthConnect", () => {
  test("writes the null codec and our schema in the header", () => {
    const header = readContainerHeader(encodeHealthConnect("BloodGlucoseRecord", [glucoseRecord()]));
    expect(header.codec).toBe("null");
    expect(JSON.parse(header.schemaJson)).toEqual(HEALTH_CONNECT_SCHEMAS.BloodGlucoseRecord);
  });

  test("no records gives a valid empty file", () => {
    expect(decodeHealthConnect(encodeHealthConnect("StepsRecord", [])).records).toEqual([]);
  });

  test("an invalid record is a ValidationError naming the record and field but not the value", () => {
    const bad = { ...glucoseRecord(), levelInMilligramsPerDeciliter: "one hundred and twelve" as unknown as number };
    let caught: unknown;
    try {
      encodeHealthConnect("BloodGlucoseRecord", [glucoseRecord(), bad]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const message = (caught as ValidationError).message;
    expect(message).toBe("record 2 is not a valid BloodGlucoseRecord: invalid levelInMilligramsPerDeciliter (expected double)");
    expect(message).not.toContain("one hundred");
  });

  test("an unsafe long is refused rather than written imprecisely", () => {
    const bad = glucoseRecord({ timeEpochMillis: 2 ** 60 });
    expect(() => encodeHealthConnect("BloodGlucoseRecord", [bad])).toThrow(/record 1 is not a valid BloodGlucoseRecord: invalid timeEpochMillis/);
  });

  test.each([
    [{ syncMarker: Buffer.alloc(8) }, /syncMarker must be 16 bytes/],
    [{ recordsPerBlock: 0 }, /recordsPerBlock must be a positive integer/],
  ])("rejects a bad layout %o", (options, message) => {
    expect(() => encodeHealthConnect("StepsRecord", [], options)).toThrow(message);
  });
});

describe("repeated strings are shared, never mixed up", () => {
  test("more distinct sources, devices and offsets than the intern table holds decode to their own values", () => {
    // 6,000 distinct values of each interned field (the table stops growing at 4,096), each used twice.
    const records = Array.from({ length: 12_000 }, (_, i) => {
      const n = i % 6_000;
      const base = glucoseRecord();
      return glucoseRecord({
        metadata: { ...base.metadata, dataOriginPackageName: `com.example.app${n}`, device: { manufacturer: `maker ${n}`, model: n % 2 === 0 ? null : `model ${n}`, type: "WATCH" } },
        zoneOffsetId: `+${String(n % 24).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`,
        timeEpochMillis: 1_758_000_000_000 + i * 1000,
      });
    });
    const decoded = decodeHealthConnect(encodeHealthConnect("BloodGlucoseRecord", records), { expectedType: "BloodGlucoseRecord" });
    expect(decoded.records).toEqual(records);
    expect(decoded.stats.sources).toHaveLength(6_000);
  });
});
