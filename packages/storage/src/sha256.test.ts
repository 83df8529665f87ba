import { describe, expect, test } from "vitest";
import { sha256Hex, verifySha256 } from "./sha256.ts";

const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

describe("sha256", () => {
  test.each([
    ["", EMPTY],
    ["abc", ABC],
  ])("sha256Hex(%j)", (input, hex) => {
    expect(sha256Hex(input)).toBe(hex);
    expect(sha256Hex(Buffer.from(input))).toBe(hex);
  });

  test.each([
    [ABC, true],
    [ABC.toUpperCase(), true],
    [EMPTY, false],
    ["abc", false],
    [`${ABC}00`, false],
    ["", false],
  ])("verifySha256('abc', %j) is %s", (expected, ok) => {
    expect(verifySha256("abc", expected)).toBe(ok);
  });
});
