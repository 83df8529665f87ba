import { SchemaError } from "@narrative-engine/errors";
import { DecodeFault, readLength, readLong, type Cursor } from "./bounded-reader.ts";

/** The four bytes every Avro object container file starts with: "Obj" and version 1. */
export const AVRO_MAGIC: Uint8Array = Uint8Array.of(0x4f, 0x62, 0x6a, 0x01);

/** Length of the sync marker between blocks. */
export const SYNC_SIZE = 16;

/** What an Avro object container header holds. */
export interface ContainerHeader {
  /** The writer schema (`avro.schema`), as JSON text. */
  readonly schemaJson: string;
  /** The block codec (`avro.codec`, "null" when absent). */
  readonly codec: string;
  /** The 16-byte marker that follows every block. */
  readonly sync: Uint8Array;
  /** Every metadata entry. */
  readonly metadata: ReadonlyMap<string, Uint8Array>;
  /** Offset of the first block. */
  readonly dataStart: number;
}

// A header is a few KB; an entry count beyond this in a forged file is rejected before looping.
const MAX_METADATA_ENTRIES = 1024;

/** Reads and checks the container header: magic, metadata map (bounded) and sync marker. */
export function readContainerHeader(buf: Uint8Array): ContainerHeader {
  if (buf.length < AVRO_MAGIC.length) {
    throw new SchemaError(`not an Avro container file: it has only ${buf.length} bytes (an Avro file starts with "Obj" and 0x01)`);
  }
  for (let i = 0; i < AVRO_MAGIC.length; i++) {
    if (buf[i] !== AVRO_MAGIC[i]) {
      const seen = Buffer.from(buf.subarray(0, 4)).toString("hex");
      throw new SchemaError(`not an Avro container file: it starts with 0x${seen}, not "Obj" followed by 0x01`);
    }
  }
  const c: Cursor = { buf, pos: AVRO_MAGIC.length, end: buf.length };
  const metadata = new Map<string, Uint8Array>();
  try {
    for (;;) {
      let count = readLong(c, "header metadata count");
      if (count === 0) break;
      if (count < 0) {
        count = -count;
        readLength(c, "header metadata block size");
      }
      if (metadata.size + count > MAX_METADATA_ENTRIES) {
        throw new DecodeFault("count", `header metadata claims ${count} entries (at most ${MAX_METADATA_ENTRIES} are accepted)`);
      }
      for (let i = 0; i < count; i++) {
        const keyLength = readLength(c, "header metadata key");
        const key = Buffer.from(buf.buffer, buf.byteOffset + c.pos, keyLength).toString("utf8");
        c.pos += keyLength;
        const valueLength = readLength(c, `header metadata value of ${key}`);
        metadata.set(key, buf.subarray(c.pos, c.pos + valueLength));
        c.pos += valueLength;
      }
    }
  } catch (error) {
    if (error instanceof DecodeFault) {
      const detail = error.kind === "truncated" || error.kind === "length" ? "the header is truncated" : "the header is corrupt";
      throw new SchemaError(`not a complete Avro container: ${detail} (${error.message})`);
    }
    throw error;
  }
  if (c.end - c.pos < SYNC_SIZE) {
    throw new SchemaError("not a complete Avro container: the header is truncated (the file ends inside the sync marker)");
  }
  const sync = buf.subarray(c.pos, c.pos + SYNC_SIZE);
  const schemaBytes = metadata.get("avro.schema");
  if (schemaBytes === undefined) throw new SchemaError("Avro container header has no avro.schema entry");
  const codecBytes = metadata.get("avro.codec");
  return {
    schemaJson: Buffer.from(schemaBytes.buffer, schemaBytes.byteOffset, schemaBytes.byteLength).toString("utf8"),
    codec: codecBytes === undefined ? "null" : Buffer.from(codecBytes).toString("utf8"),
    sync,
    metadata,
    dataStart: c.pos + SYNC_SIZE,
  };
}
