import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeHealthConnect } from "@narrative-engine/avro";
import { RECORD_TYPES, type RecordOf, type RecordType } from "@narrative-engine/contracts";
import { generateGlucoseSeries, generateSyntheticExport, syntheticUserId } from "./synthetic-health-data.ts";

/** Options of {@link writeSyntheticDataSet}. */
export interface SyntheticDataSetOptions {
  /** Folder to write into; each user gets a sub-folder. */
  readonly outDir: string;
  /** Seed; the same seed and options give byte-identical files. */
  readonly seed: string;
  readonly users: number;
  readonly days: number;
  /** First local day, `YYYY-MM-DD`. */
  readonly startDate: string;
  /** Only these record types (default all six). */
  readonly types?: readonly RecordType[];
  /** Also write one glucose file of about this many MiB (for benchmarks) under `big/`. */
  readonly bigGlucoseMb?: number;
}

/** One file written. */
export interface WrittenFile {
  readonly path: string;
  readonly userId: string;
  readonly recordType: RecordType;
  readonly records: number;
  readonly bytes: number;
}

/** Bytes one encoded CGM reading takes in the real exports (38,664 bytes / 253 readings). */
const GLUCOSE_RECORD_BYTES = 152;

function syncMarker(...parts: readonly (string | number)[]): Buffer {
  // The container's sync marker is random by default; derived from the seed, the bytes are reproducible.
  return createHash("sha256").update(parts.join(":")).digest().subarray(0, 16);
}

function encode<T extends RecordType>(type: T, records: readonly RecordOf<T>[], marker: Buffer, onePerBlock: boolean): Buffer {
  return encodeHealthConnect(type, records, { syncMarker: marker, ...(onePerBlock ? { recordsPerBlock: Math.max(1, records.length) } : {}) });
}

/** Writes `{outDir}/{userId}/{Type}_{exportTimestamp}.avro` for every user and type, as the phone app names its exports. */
export async function writeSyntheticDataSet(options: SyntheticDataSetOptions): Promise<WrittenFile[]> {
  const types = options.types ?? RECORD_TYPES;
  const written: WrittenFile[] = [];
  for (let userIndex = 0; userIndex < options.users; userIndex++) {
    const data = generateSyntheticExport({ seed: options.seed, userIndex, days: options.days, startDate: options.startDate });
    const dir = join(options.outDir, data.userId);
    await mkdir(dir, { recursive: true });
    for (const type of types) {
      const records = data.records[type] as readonly RecordOf<typeof type>[];
      // The real exports hold one block per file.
      const bytes = encode(type, records, syncMarker(options.seed, data.userId, type), true);
      const path = join(dir, `${type}_${data.exportTimestamp}.avro`);
      await writeFile(path, bytes);
      written.push({ path, userId: data.userId, recordType: type, records: records.length, bytes: bytes.byteLength });
    }
  }
  if (options.bigGlucoseMb !== undefined && options.bigGlucoseMb > 0) {
    const count = Math.ceil((options.bigGlucoseMb * 1024 * 1024) / GLUCOSE_RECORD_BYTES);
    const { records, exportTimestamp } = generateGlucoseSeries({ seed: `${options.seed}:big`, userIndex: 0, days: 1, startDate: options.startDate, count });
    const dir = join(options.outDir, "big");
    await mkdir(dir, { recursive: true });
    const bytes = encode("BloodGlucoseRecord", records, syncMarker(options.seed, "big"), false);
    const path = join(dir, `BloodGlucoseRecord_${exportTimestamp}.avro`);
    await writeFile(path, bytes);
    written.push({ path, userId: syntheticUserId(0), recordType: "BloodGlucoseRecord", records: records.length, bytes: bytes.byteLength });
  }
  return written;
}
