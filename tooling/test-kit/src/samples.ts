import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Folder holding the real Health Connect exports (`HEALTH_CONNECT_SAMPLES` overrides it). */
export const samplesDir: string =
  process.env["HEALTH_CONNECT_SAMPLES"] ?? resolve(repoRoot, "../shared/samples/health-connect");

/** True when the real-sample folder exists and holds at least one `.avro` file. */
export const samplesAvailable: boolean =
  existsSync(samplesDir) && readdirSync(samplesDir).some((f) => f.endsWith(".avro"));

/** One real sample file: its name, the record type its name starts with, and its path. */
export interface SampleFile {
  readonly name: string;
  readonly recordType: string;
  readonly path: string;
}

/** Every real sample file, sorted by name; optionally only those of one record type. */
export function sampleFiles(recordType?: string): SampleFile[] {
  if (!samplesAvailable) return [];
  return readdirSync(samplesDir)
    .filter((f) => f.endsWith(".avro"))
    .sort()
    .map((name) => ({ name, recordType: name.split("_")[0] ?? "", path: join(samplesDir, name) }))
    .filter((f) => recordType === undefined || f.recordType === recordType);
}

/** The bytes of one real sample file, by file name. */
export function readSample(name: string): Buffer {
  return readFileSync(join(samplesDir, name));
}

const missingMessage =
  `real Health Connect samples not found at ${samplesDir} ` +
  "(set HEALTH_CONNECT_SAMPLES to the folder holding the .avro exports)";

/**
 * `describe` for suites that need the real samples. When the folder is absent the suite is
 * skipped with a message, except under CI=true where it fails instead.
 */
export function describeWithSamples(name: string, fn: () => void): void {
  if (samplesAvailable) {
    describe(name, fn);
    return;
  }
  if (process.env["CI"] === "true") {
    describe(name, () => {
      throw new Error(`${missingMessage}; samples are required under CI=true`);
    });
    return;
  }
  console.warn(`skipping "${name}": ${missingMessage}`);
  describe.skip(name, fn);
}
