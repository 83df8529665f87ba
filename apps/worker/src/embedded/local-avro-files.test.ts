import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeHealthConnect } from "@narrative-engine/avro";
import { afterAll, describe, expect, test } from "vitest";
import { generateSyntheticExport } from "../generate/synthetic-health-data.ts";
import { collectAvroFiles, recordTypeFromFileName, recordTypeOfFile, timestampFromFileName } from "./local-avro-files.ts";

const dir = mkdtempSync(join(tmpdir(), "ne-local-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("local Avro files", () => {
  test.each([
    ["BloodGlucoseRecord_1758407139312.avro", "BloodGlucoseRecord", 1758407139312],
    ["/x/AvroStepsRecord_1758407139312.avro", "StepsRecord", 1758407139312],
    ["HeartRateVariabilityRmssdRecord.avro", "HeartRateVariabilityRmssdRecord", undefined],
    ["export.avro", undefined, undefined],
  ] as const)("%s", (name, type, timestamp) => {
    expect(recordTypeFromFileName(name)).toBe(type);
    expect(timestampFromFileName(name)).toBe(timestamp);
  });

  test("the record type of an unnamed file comes from its schema", () => {
    const steps = generateSyntheticExport({ seed: "s", userIndex: 0, days: 1, startDate: "2025-09-15" }).records.StepsRecord;
    const bytes = encodeHealthConnect("StepsRecord", steps);
    expect(recordTypeOfFile("export.avro", bytes)).toBe("StepsRecord");
    expect(recordTypeOfFile("export.avro", Buffer.from("nope"))).toBeUndefined();
  });

  test("folders are walked recursively, files sorted and listed once", async () => {
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    writeFileSync(join(dir, "a", "b", "StepsRecord_2.avro"), "");
    writeFileSync(join(dir, "a", "HeartRateRecord_1.avro"), "");
    writeFileSync(join(dir, "a", "notes.txt"), "");
    const files = await collectAvroFiles([join(dir, "a"), join(dir, "a", "HeartRateRecord_1.avro")], dir);
    expect(files).toEqual([join(dir, "a", "HeartRateRecord_1.avro"), join(dir, "a", "b", "StepsRecord_2.avro")]);
    await expect(collectAvroFiles(["missing"], dir)).rejects.toThrow(/no such file or folder: missing/);
  });
});
