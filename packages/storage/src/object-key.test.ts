import { ValidationError } from "@narrative-engine/errors";
import { describe, expect, test } from "vitest";
import { checkBucket, checkPrefix, keySegments } from "./object-key.ts";

describe("keySegments", () => {
  test.each([
    ["raw/user-1/BloodGlucoseRecord_1.avro", ["raw", "user-1", "BloodGlucoseRecord_1.avro"]],
    ["%2e%2e/x", ["%2e%2e", "x"]],
    ["dir with space/ü ✓", ["dir with space", "ü ✓"]],
    ["a..b/c.", ["a..b", "c."]],
    [".gitignore", [".gitignore"]],
  ])("accepts %j", (key, segments) => {
    expect(keySegments(key)).toEqual(segments);
  });

  test.each([
    ["", "it is empty"],
    ["/abs", "absolute path"],
    ["a/../b", "'..' segment"],
    ["..", "'..' segment"],
    ["./a", "'.' segment"],
    ["a\\b", "backslash"],
    ["a\0", "NUL"],
    ["a//b", "empty path segment"],
    ["a/", "empty path segment"],
    [".ne-meta/a", "reserved prefix"],
    ["x".repeat(1025), "longer than 1,024 bytes"],
    ["y".repeat(256), "longer than 255 bytes"],
  ])("rejects %j (%s)", (key, problem) => {
    expect(() => keySegments(key)).toThrow(ValidationError);
    expect(() => keySegments(key)).toThrow(problem);
  });
});

describe("checkBucket and checkPrefix", () => {
  test.each(["health-data", "a", "my.bucket-1"])("bucket %j is fine", (bucket) => {
    expect(() => checkBucket(bucket)).not.toThrow();
  });
  test.each(["", "A", "..", "a..b", "-a", "a/b", "x".repeat(64)])("bucket %j is rejected", (bucket) => {
    expect(() => checkBucket(bucket)).toThrow(ValidationError);
  });
  test.each(["", "raw/", "raw/us", "a"])("prefix %j is fine", (prefix) => {
    expect(() => checkPrefix(prefix)).not.toThrow();
  });
  test.each(["../", "/abs", "a//", "a\\b"])("prefix %j is rejected", (prefix) => {
    expect(() => checkPrefix(prefix)).toThrow(ValidationError);
  });
});
