import { describe, expect, test } from "vitest";
import { formatZoneOffset, parseZoneOffset, resolveZoneOffset, summarizeOffsets, userOffsetFromMetadata } from "./zone-offset.ts";

describe("parseZoneOffset", () => {
  test.each([
    ["Z", 0],
    ["UTC", 0],
    ["GMT", 0],
    ["-05:00", -300],
    ["+05:30", 330],
    ["+0545", 345],
    ["-03", -180],
    ["UTC-05:00", -300],
    ["+13:45", 825],
    ["+18:00", 1080],
    [" -05:00 ", -300],
  ])("%j → %s minutes", (id, minutes) => {
    expect(parseZoneOffset(id)).toBe(minutes);
  });

  test.each([[null], [undefined], [""], ["America/Chicago"], ["+19:00"], ["+05:60"], ["5"], ["-5:00"]])("%j is not an offset", (id) => {
    expect(parseZoneOffset(id)).toBeUndefined();
  });
});

describe("formatZoneOffset", () => {
  test.each([
    [0, "+00:00"],
    [-300, "-05:00"],
    [330, "+05:30"],
    [825, "+13:45"],
  ])("%s → %s", (minutes, id) => {
    expect(formatZoneOffset(minutes)).toBe(id);
  });
});

describe("resolveZoneOffset (the override rule)", () => {
  test.each([
    // record, healthMetadata, expected id, source
    ["-05:00", undefined, "-05:00", "record"],
    ["-05:00", { user_timezone_offset: "+02:00" }, "-05:00", "record"],
    ["Z", undefined, "+00:00", "record"],
    ["Z", { user_timezone_offset: "-05:00" }, "-05:00", "health_metadata"],
    ["Z", { utc_offset: "+05:30" }, "+05:30", "health_metadata"],
    ["Z", { timezone_offset: "-03:00" }, "-03:00", "health_metadata"],
    [null, { user_utc_offset: "+01:00" }, "+01:00", "health_metadata"],
    [null, undefined, "+00:00", "default_utc"],
    ["garbage", undefined, "+00:00", "default_utc"],
    ["Z", { user_timezone_offset: "America/Chicago" }, "+00:00", "record"],
    ["Z", { user_timezone_offset: -300 }, "+00:00", "record"],
  ] as const)("record %j with %j → %s (%s)", (zone, metadata, id, source) => {
    const resolved = resolveZoneOffset(zone, metadata);
    expect(resolved.offsetId).toBe(id);
    expect(resolved.source).toBe(source);
  });

  test("the first known key wins", () => {
    expect(userOffsetFromMetadata({ utc_offset: "+01:00", user_timezone_offset: "-05:00" })).toBe(-300);
  });

  test("summarizeOffsets lists distinct offsets and sources, sorted", () => {
    const summary = summarizeOffsets([
      resolveZoneOffset("-05:00", undefined),
      resolveZoneOffset("Z", { utc_offset: "-05:00" }),
      resolveZoneOffset("-04:00", undefined),
    ]);
    expect(summary).toEqual({ utc_offsets_used: ["-04:00", "-05:00"], utc_offset_sources: ["health_metadata", "record"] });
  });
});
