/** A position inside a byte range that every read is bounded against. */
export interface Cursor {
  readonly buf: Uint8Array;
  pos: number;
  /** Reads never go at or beyond this index. */
  end: number;
}

/** Why a read failed; the decoder turns it into a `SchemaError` that says where. */
export type FaultKind = "truncated" | "long" | "varint" | "length" | "count" | "enum" | "union" | "boolean" | "depth";

/** A failed bounded read (internal: always converted to a `SchemaError` before leaving the package). */
export class DecodeFault extends Error {
  override readonly name: string = "DecodeFault";
  /** What went wrong. */
  readonly kind: FaultKind;
  constructor(kind: FaultKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

const TWO_POW_27 = 134_217_728;
const TWO_POW_28 = 268_435_456;
const HIGH_LIMIT = 67_108_863; // 2^26 - 1: the high part of the largest zig-zag value avsc accepts
const LOW_LIMIT = TWO_POW_28 - 4; // with HIGH_LIMIT: zig-zag 2^54 - 4, i.e. 2^53 - 2 (avsc's largest safe long)
// avsc sums an odd zig-zag value beyond 2^53 in floats and rounds it to the next even one,
// which flips the sign: negative longs decode exactly only down to -2^52.
const NEGATIVE_HIGH_LIMIT = 33_554_431; // 2^25 - 1

/**
 * Reads a zig-zag varint long. Fails on a varint running past `end`, longer than 10 bytes, or
 * outside what avsc's `long` decodes exactly: −2^52 … 2^53 − 2.
 */
export function readLong(c: Cursor, what: string): number {
  const buf = c.buf;
  const end = c.end;
  let pos = c.pos;
  let low = 0;
  let shift = 0;
  let b: number;
  do {
    if (pos >= end) throw new DecodeFault("truncated", `${what} runs past the end of the data`);
    b = buf[pos++]!;
    low |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80 && shift < 28);
  if (!(b & 0x80)) {
    c.pos = pos;
    return (low >>> 1) ^ -(low & 1);
  }
  // More than 28 bits: collect the high part in float arithmetic (exact up to 2^53).
  let high = 0;
  let scale = 1;
  let bytes = 4;
  do {
    if (pos >= end) throw new DecodeFault("truncated", `${what} runs past the end of the data`);
    if (++bytes > 10) throw new DecodeFault("varint", `malformed varint at ${what} (more than 10 bytes)`);
    b = buf[pos++]!;
    high += (b & 0x7f) * scale;
    scale *= 128;
  } while (b & 0x80);
  if (high > HIGH_LIMIT || (high === HIGH_LIMIT && low > LOW_LIMIT) || (low & 1 && high > NEGATIVE_HIGH_LIMIT)) {
    throw new DecodeFault("long", `long beyond 2^53 at ${what}`);
  }
  c.pos = pos;
  // value = zigzag(high * 2^28 + low), computed without forming the (possibly inexact) sum.
  const half = high * TWO_POW_27 + (low >>> 1);
  return low & 1 ? -half - 1 : half;
}

/** Reads a varint that must be a 32-bit int. */
export function readInt(c: Cursor, what: string): number {
  const n = readLong(c, what);
  if (n < -2_147_483_648 || n > 2_147_483_647) throw new DecodeFault("varint", `int out of range at ${what}`);
  return n;
}

/** Reads a length prefix (string, bytes) and checks it fits in the bytes that remain. */
export function readLength(c: Cursor, what: string): number {
  const n = readLong(c, what);
  if (n < 0) throw new DecodeFault("length", `negative length ${n} at ${what}`);
  const remaining = c.end - c.pos;
  if (n > remaining) {
    throw new DecodeFault("length", `${what} claims ${n} bytes but only ${remaining} remain`);
  }
  return n;
}

/** Skips `n` bytes that must exist. */
export function skipBytes(c: Cursor, n: number, what: string): void {
  if (n > c.end - c.pos) throw new DecodeFault("truncated", `${what} runs past the end of the data`);
  c.pos += n;
}
