import { describe, expect, test } from "vitest";
import { varint } from "./__fixtures__/craft-avro.ts";
import { DecodeFault, readLength, readLong, type Cursor } from "./bounded-reader.ts";

const cursor = (bytes: Buffer): Cursor => ({ buf: bytes, pos: 0, end: bytes.length });

describe("readLong", () => {
  test.each([0n, 1n, -1n, 63n, -64n, 64n, 2n ** 27n, 2n ** 28n - 1n, 2n ** 28n, -(2n ** 28n), 2n ** 31n, -(2n ** 31n) - 1n, 1_758_407_139_312n, 2n ** 53n - 2n, -(2n ** 52n)])(
    "reads %s exactly",
    (value) => {
      const bytes = varint(value);
      const c = cursor(bytes);
      expect(readLong(c, "x")).toBe(Number(value));
      expect(c.pos).toBe(bytes.length);
    },
  );

  test.each([2n ** 53n - 1n, 2n ** 53n, -(2n ** 52n) - 1n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)])("refuses %s as beyond 2^53", (value) => {
    expect(() => readLong(cursor(varint(value)), "timeEpochMillis")).toThrow(new DecodeFault("long", "long beyond 2^53 at timeEpochMillis"));
  });

  test.each([
    ["a varint running past the end", Buffer.from([0x80, 0x80]), "truncated"],
    ["an empty range", Buffer.alloc(0), "truncated"],
    ["a varint of 11 bytes", Buffer.from([...Array<number>(10).fill(0x80), 0x01]), "varint"],
  ] as const)("fails on %s", (_name, bytes, kind) => {
    expect(() => readLong(cursor(bytes), "x")).toThrow(expect.objectContaining({ kind }));
  });

  test("never reads at or beyond end even when the buffer goes on", () => {
    const c: Cursor = { buf: Buffer.from([0x80, 0x80, 0x01]), pos: 0, end: 2 };
    expect(() => readLong(c, "x")).toThrow(expect.objectContaining({ kind: "truncated" }));
  });
});

describe("readLength", () => {
  test.each([
    ["a negative length", Buffer.from([0x01]), /negative length -1 at s/],
    ["a length beyond the bytes left", Buffer.concat([varint(2n ** 40n), Buffer.from("abc")]), /s claims 1099511627776 bytes but only 3 remain/],
  ] as const)("refuses %s", (_name, bytes, message) => {
    expect(() => readLength(cursor(bytes), "s")).toThrow(message);
  });

  test("accepts a length that fits exactly", () => {
    const c = cursor(Buffer.concat([varint(3), Buffer.from("abc")]));
    expect(readLength(c, "s")).toBe(3);
  });
});
