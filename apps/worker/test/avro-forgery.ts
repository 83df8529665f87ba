/** Zig-zag varint encoding of any 64-bit (or larger) integer, for forging Avro files. */
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

/** Where a valid container's first block starts and its sync marker, read the simple way. */
export function containerLayout(file: Buffer): { dataStart: number; sync: Buffer } {
  let pos = 4; // "Obj\x01"
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
    for (let i = 0; i < Math.abs(count); i++) {
      pos += readLong();
      pos += readLong();
    }
  }
  return { dataStart: pos + 16, sync: file.subarray(pos, pos + 16) };
}
