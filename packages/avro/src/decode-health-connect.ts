import { inflateRawSync } from "node:zlib";
import type { RecordOf, RecordType } from "@narrative-engine/contracts";
import { SchemaError } from "@narrative-engine/errors";
import { DecodeFault, readLong, type Cursor } from "./bounded-reader.ts";
import { SYNC_SIZE, readContainerHeader } from "./container-header.ts";
import { planFor, type SchemaPlan } from "./schema-plan.ts";

/** The record limit when the caller sets none (the engine's `max_records_per_file`). */
export const DEFAULT_MAX_RECORDS = 100_000;

/** The cap on the bytes all deflate blocks of one file may inflate to when the caller sets none. */
export const DEFAULT_MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/** Options of {@link decodeHealthConnect}. */
export interface DecodeOptions<T extends RecordType = RecordType> {
  /** The record type the message announced; a file of another type fails with a `SchemaError`. */
  readonly expectedType?: T;
  /** Fail when the file holds more records than this (default 100,000). */
  readonly maxRecords?: number;
  /** Fail when deflate blocks inflate to more bytes than this in total (default 256 MiB). */
  readonly maxInflatedBytes?: number;
}

/** Summary figures of a decoded file. */
export interface DecodeStats {
  /** Number of records. */
  readonly count: number;
  /** Earliest `timeEpochMillis` / `startTimeEpochMillis`, epoch ms; null when there are no records. */
  readonly firstTimestamp: number | null;
  /** Latest `timeEpochMillis` / `endTimeEpochMillis`, epoch ms; null when there are no records. */
  readonly lastTimestamp: number | null;
  /** Sorted unique `metadata.dataOriginPackageName`. */
  readonly sources: readonly string[];
  /** Sorted unique `metadata.device.type` (records without one are left out). */
  readonly deviceTypes: readonly string[];
}

/** A decoded Health Connect file of record type `T`. */
export interface DecodedHealthConnect<T extends RecordType = RecordType> {
  /** The record type, from the file's schema name. */
  readonly recordType: T;
  /** Full name of the file's (writer) schema, e.g. `io.github….AvroHeartRateRecord`. */
  readonly schemaName: string;
  /** Block codec of the file. */
  readonly codec: string;
  /** The records as plain objects, in file order. */
  readonly records: RecordOf<T>[];
  /** Summary figures. */
  readonly stats: DecodeStats;
}

/** A decoded file of any record type; narrow on `recordType`. */
export type AnyDecodedHealthConnect = { [K in RecordType]: DecodedHealthConnect<K> }[RecordType];

/**
 * Decodes a Health Connect Avro object container file held in memory. Every count and length in
 * the file is checked against the bytes that remain before anything is allocated, so corrupt or
 * forged files fail fast with a `SchemaError` that says what is wrong and where.
 */
export function decodeHealthConnect<T extends RecordType>(
  bytes: Uint8Array,
  options: DecodeOptions<T> & { readonly expectedType: T },
): DecodedHealthConnect<T>;
export function decodeHealthConnect(bytes: Uint8Array, options?: DecodeOptions): AnyDecodedHealthConnect;
export function decodeHealthConnect(bytes: Uint8Array, options: DecodeOptions = {}): AnyDecodedHealthConnect {
  try {
    return decode(bytes, options);
  } catch (error) {
    if (error instanceof SchemaError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SchemaError(`unexpected failure decoding the Avro file: ${message}`, { cause: error });
  }
}

function decode(bytes: Uint8Array, options: DecodeOptions): AnyDecodedHealthConnect {
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  let inflateBudget = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readContainerHeader(buf);
  const plan = planFor(header.schemaJson);
  if (options.expectedType !== undefined && options.expectedType !== plan.recordType) {
    throw new SchemaError(`file holds ${plan.recordType} but the message says ${options.expectedType}`);
  }
  if (header.codec !== "null" && header.codec !== "deflate") {
    throw new SchemaError(`unsupported Avro codec "${header.codec}" (supported: null, deflate)`);
  }
  const minRecordBytes = Math.max(1, plan.validator.minBytes);
  const records: unknown[] = [];
  const strings: InternTable = new Map();
  const c: Cursor = { buf, pos: header.dataStart, end: buf.length };
  for (let block = 1; c.pos < buf.length; block++) {
    const blockStart = c.pos;
    const frame = readBlockFrame(c, header.sync);
    if ("problem" in frame) {
      if (block > 1) {
        throw new SchemaError(
          `trailing garbage at byte ${blockStart}: the ${buf.length - blockStart} bytes after block ${block - 1} do not form a valid block (${frame.problem})`,
        );
      }
      throw new SchemaError(`${frame.truncated ? "truncated" : "corrupt"} block 1 at byte ${blockStart}: ${frame.problem}`);
    }
    const { count, size } = frame;
    if (header.codec === "null" && count > size / minRecordBytes) {
      throw new SchemaError(
        `block ${block} at byte ${blockStart} claims ${count} records in ${size} bytes (a record takes at least ${minRecordBytes}): the file is corrupt`,
      );
    }
    if (count > maxRecords - records.length) {
      throw new SchemaError(
        `too many records: block ${block} brings the file to ${records.length + count} records, beyond the limit of ${maxRecords} (maxRecords)`,
      );
    }
    const dataStart = c.pos;
    const dataEnd = dataStart + size;
    const syncStart = dataEnd;
    let data: Buffer = buf;
    let start = dataStart;
    let end = dataEnd;
    if (header.codec === "deflate") {
      try {
        data = inflateRawSync(buf.subarray(dataStart, dataEnd), { maxOutputLength: Math.max(1, inflateBudget) });
      } catch (error) {
        throw new SchemaError(
          `block ${block} at byte ${blockStart} does not inflate within the limit of ${options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES} bytes: ${(error as Error).message}`,
          { cause: error },
        );
      }
      inflateBudget -= data.length;
      if (count > data.length / minRecordBytes) {
        throw new SchemaError(`block ${block} claims ${count} records in ${data.length} inflated bytes: the file is corrupt`);
      }
      start = 0;
      end = data.length;
    }
    decodeBlock(plan, data, start, end, count, block, records, strings);
    c.pos = syncStart + SYNC_SIZE;
  }
  return { recordType: plan.recordType, schemaName: plan.schemaName, codec: header.codec, records, stats: statsOf(records) } as AnyDecodedHealthConnect;
}

/**
 * Reads a block's count and size and checks its sync marker; returns what is wrong as text
 * (the caller words it for the first block or for bytes after the last good one).
 */
function readBlockFrame(
  c: Cursor,
  sync: Uint8Array,
): { count: number; size: number } | { problem: string; truncated: boolean } {
  let count: number;
  let size: number;
  try {
    count = readLong(c, "record count");
    size = readLong(c, "block size");
  } catch (error) {
    if (!(error instanceof DecodeFault)) throw error;
    return error.kind === "truncated"
      ? { problem: "the file ends inside the block header", truncated: true }
      : { problem: `invalid block header: ${error.message}`, truncated: false };
  }
  if (count < 0) return { problem: `invalid block header: negative record count ${count}`, truncated: false };
  if (size < 0) return { problem: `invalid block header: negative block size ${size}`, truncated: false };
  const remaining = c.end - c.pos;
  if (size > remaining) {
    return { problem: `the block declares ${size} bytes of data but only ${remaining} remain`, truncated: true };
  }
  if (remaining - size < SYNC_SIZE) return { problem: "the file ends inside the block's sync marker", truncated: true };
  const syncStart = c.pos + size;
  for (let i = 0; i < SYNC_SIZE; i++) {
    if (c.buf[syncStart + i] !== sync[i]) {
      return { problem: `bad sync marker at byte ${syncStart}: the block is corrupt or its declared size (${size}) is wrong`, truncated: false };
    }
  }
  return { count, size };
}

function decodeBlock(plan: SchemaPlan, data: Buffer, start: number, end: number, count: number, block: number, out: unknown[], strings: InternTable): void {
  // Walk the whole block first: nothing is allocated for a block that turns out corrupt.
  const c: Cursor = { buf: data, pos: start, end };
  const check = plan.validator.check;
  let record = 0;
  try {
    for (record = 1; record <= count; record++) check(c);
  } catch (error) {
    if (!(error instanceof DecodeFault)) throw error;
    const where = `block ${block}, record ${record}`;
    if (error.kind === "truncated") {
      throw new SchemaError(`block ${block} is corrupt: record ${record} runs past the end of the block (${error.message})`);
    }
    throw new SchemaError(`${error.message} (${where})`);
  }
  if (c.pos !== end) {
    throw new SchemaError(`block ${block} is corrupt: its ${count} records use ${c.pos - start} bytes but the block holds ${end - start}`);
  }
  const { reader, resolver } = plan;
  let pos = start;
  for (let i = 0; i < count; i++) {
    const result = reader.decode(data, pos, resolver);
    const value = result.value as InternedFields;
    const offset = result.offset;
    if (offset < 0) throw new SchemaError(`block ${block}, record ${i + 1} could not be decoded`);
    internRepeatedStrings(value, strings);
    out.push(value);
    pos = offset;
  }
}

/** The string fields that repeat across a file's records (source app, device, zone offset). */
interface InternedFields {
  readonly metadata: { dataOriginPackageName: string; device: { manufacturer: string | null; model: string | null; type: string | null } | null };
  zoneOffsetId?: string | null;
  startZoneOffsetId?: string | null;
  endZoneOffsetId?: string | null;
}

/** Strings already seen in this file, so each distinct value is held once. */
type InternTable = Map<string, string>;

/**
 * Every record carries its source app, device and zone offset as separate strings, the same few
 * values over and over: about 160 of a glucose record's ~500 bytes in memory. Sharing one copy of
 * each keeps a 300k-record file's records ~50 MB smaller; ids and other unique strings are left alone.
 */
function internRepeatedStrings(record: InternedFields, table: InternTable): void {
  const metadata = record.metadata;
  metadata.dataOriginPackageName = intern(metadata.dataOriginPackageName, table);
  const device = metadata.device;
  if (device !== null) {
    if (device.manufacturer !== null) device.manufacturer = intern(device.manufacturer, table);
    if (device.model !== null) device.model = intern(device.model, table);
    if (device.type !== null) device.type = intern(device.type, table);
  }
  if (typeof record.zoneOffsetId === "string") record.zoneOffsetId = intern(record.zoneOffsetId, table);
  if (typeof record.startZoneOffsetId === "string") record.startZoneOffsetId = intern(record.startZoneOffsetId, table);
  if (typeof record.endZoneOffsetId === "string") record.endZoneOffsetId = intern(record.endZoneOffsetId, table);
}

/** Bounded: a file of all-distinct values (forged or odd) stops adding after this many. */
const MAX_INTERNED = 4096;

function intern(value: string, table: InternTable): string {
  const seen = table.get(value);
  if (seen !== undefined) return seen;
  if (table.size < MAX_INTERNED) table.set(value, value);
  return value;
}

interface StatsFields {
  readonly metadata: { readonly dataOriginPackageName: string; readonly device: { readonly type: string | null } | null };
  readonly timeEpochMillis?: number;
  readonly startTimeEpochMillis?: number;
  readonly endTimeEpochMillis?: number;
}

function statsOf(records: readonly unknown[]): DecodeStats {
  let first = Infinity;
  let last = -Infinity;
  const sources = new Set<string>();
  const deviceTypes = new Set<string>();
  for (const value of records) {
    const r = value as StatsFields;
    const from = r.timeEpochMillis ?? r.startTimeEpochMillis;
    const to = r.timeEpochMillis ?? r.endTimeEpochMillis;
    if (from !== undefined && from < first) first = from;
    if (to !== undefined && to > last) last = to;
    sources.add(r.metadata.dataOriginPackageName);
    const deviceType = r.metadata.device?.type;
    if (deviceType != null) deviceTypes.add(deviceType);
  }
  return {
    count: records.length,
    firstTimestamp: first === Infinity ? null : first,
    lastTimestamp: last === -Infinity ? null : last,
    sources: [...sources].sort(),
    deviceTypes: [...deviceTypes].sort(),
  };
}
