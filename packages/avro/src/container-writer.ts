import { randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import avro from "avsc";
import { AVRO_MAGIC, SYNC_SIZE } from "./container-header.ts";

/** Block codecs the writer can produce. */
export type ContainerCodec = "null" | "deflate";

/** How {@link writeContainer} lays out the file. */
export interface ContainerLayout {
  /** The 16-byte marker after each block (random by default). */
  readonly syncMarker?: Uint8Array;
  /** Records per block (default 4,096; the real exports use one block). */
  readonly recordsPerBlock?: number;
  /** Block codec (default "null"). */
  readonly codec?: ContainerCodec;
}

const longType = avro.Type.forSchema("long");
const metadataType = avro.Type.forSchema({ type: "map", values: "bytes" });

/** Writes an Avro object container file from a schema and already-encoded records. */
export function writeContainer(schemaJson: string, encodedRecords: readonly Uint8Array[], layout: ContainerLayout = {}): Buffer {
  const sync = layout.syncMarker ?? randomBytes(SYNC_SIZE);
  if (sync.length !== SYNC_SIZE) throw new RangeError(`syncMarker must be ${SYNC_SIZE} bytes, got ${sync.length}`);
  const perBlock = layout.recordsPerBlock ?? 4096;
  if (!Number.isInteger(perBlock) || perBlock < 1) throw new RangeError(`recordsPerBlock must be a positive integer, got ${perBlock}`);
  const codec = layout.codec ?? "null";
  const parts: Uint8Array[] = [
    AVRO_MAGIC,
    metadataType.toBuffer({ "avro.schema": Buffer.from(schemaJson, "utf8"), "avro.codec": Buffer.from(codec, "utf8") }),
    sync,
  ];
  for (let i = 0; i < encodedRecords.length; i += perBlock) {
    const slice = encodedRecords.slice(i, i + perBlock);
    const raw = Buffer.concat(slice);
    const data = codec === "deflate" ? deflateRawSync(raw) : raw;
    parts.push(longType.toBuffer(slice.length), longType.toBuffer(data.length), data, sync);
  }
  return Buffer.concat(parts);
}
