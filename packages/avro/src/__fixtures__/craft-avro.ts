import type { RecordOf, RecordType } from "@narrative-engine/contracts";
import { AVRO_MAGIC } from "../container-header.ts";
import { readerFor } from "../schema-plan.ts";

/** Zig-zag varint encoding of any 64-bit (or larger) integer, for forging files. */
export function varint(value: bigint | number): Buffer {
  const n = BigInt(value);
  let z = n >= 0n ? n << 1n : (-n << 1n) - 1n;
  const bytes: number[] = [];
  do {
    let b = Number(z & 0x7fn);
    z >>= 7n;
    if (z > 0n) b |= 0x80;
    bytes.push(b);
  } while (z > 0n);
  return Buffer.from(bytes);
}

/** The Avro encoding of one record with our schema. */
export function encodeRecord<T extends RecordType>(type: T, record: RecordOf<T>): Buffer {
  return readerFor(type).toBuffer(record);
}

/** Replaces the first occurrence of `find` inside `buf`; throws when absent. */
export function splice(buf: Buffer, find: Buffer, replacement: Buffer): Buffer {
  const at = buf.indexOf(find);
  if (at < 0) throw new Error("splice: pattern not found");
  return Buffer.concat([buf.subarray(0, at), replacement, buf.subarray(at + find.length)]);
}

/** Byte offsets of a container's parts, read the simple way (the file must be valid). */
export function containerLayout(file: Buffer): { dataStart: number; sync: Buffer } {
  let pos = AVRO_MAGIC.length;
  const readLong = (): number => {
    let n = 0;
    let shift = 0;
    let b: number;
    do {
      b = file[pos++]!;
      n += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return n % 2 ? -(n + 1) / 2 : n / 2;
  };
  for (let count = readLong(); count !== 0; count = readLong()) {
    for (let i = 0; i < count; i++) {
      const keyLength = readLong();
      pos += keyLength;
      const valueLength = readLong();
      pos += valueLength;
    }
  }
  return { dataStart: pos + 16, sync: file.subarray(pos, pos + 16) };
}

/** A glucose record with harmless values, for crafted files. */
export function glucoseRecord(overrides: Partial<RecordOf<"BloodGlucoseRecord">> = {}): RecordOf<"BloodGlucoseRecord"> {
  return {
    metadata: {
      id: "00000000-0000-0000-0000-000000000001",
      dataOriginPackageName: "com.example.cgm",
      lastModifiedTimeEpochMillis: 1_758_000_000_000,
      clientRecordId: null,
      clientRecordVersion: 0,
      device: { manufacturer: "Example", model: null, type: "UNKNOWN" },
    },
    timeEpochMillis: 1_758_000_000_000,
    zoneOffsetId: "Z",
    levelInMilligramsPerDeciliter: 101.5,
    specimenSource: "INTERSTITIAL_FLUID",
    mealType: "UNKNOWN",
    relationToMeal: "GENERAL",
    appRecordFetchTimeEpochMillis: 1_758_000_100_000,
    ...overrides,
  };
}
