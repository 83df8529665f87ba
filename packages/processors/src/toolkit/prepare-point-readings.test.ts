import { describe, expect, test } from "vitest";
import { preparePointReadings } from "./prepare-point-readings.ts";

interface R {
  readonly metadata: { readonly id: string; readonly dataOriginPackageName: string };
  readonly t: number;
  readonly v: number;
  readonly zone: string | null;
}
const MIN = 60_000;
const r = (id: string, t: number, v: number, source = "com.a", zone: string | null = "Z"): R => ({ metadata: { id, dataOriginPackageName: source }, t: t * MIN, v, zone });
const prepare = (records: readonly R[], healthMetadata?: Record<string, unknown>) =>
  preparePointReadings(records, {
    time: (x) => x.t,
    value: (x) => x.v,
    zoneOffsetId: (x) => x.zone,
    plausible: { min: 20, max: 600 },
    healthMetadata,
    defaultCadenceMs: 5 * MIN,
  });

describe("preparePointReadings", () => {
  test.each([
    { name: "clean series", records: [r("a", 0, 100), r("b", 5, 110)], values: [100, 110], counts: [0, 0, 0, 0] },
    { name: "values rounded to 0.1 first", records: [r("a", 0, 88.99999999999999), r("b", 5, 19.96)], values: [89, 20], counts: [0, 0, 0, 0] },
    { name: "duplicate id", records: [r("a", 0, 100), r("a", 0, 100), r("b", 5, 110)], values: [100, 110], counts: [1, 0, 0, 0] },
    { name: "implausible and non-finite", records: [r("a", 0, 19.9), r("b", 5, 600.1), r("c", 10, Number.NaN), r("d", 15, 100)], values: [100], counts: [0, 3, 0, 0] },
    { name: "repeated timestamp keeps the first", records: [r("a", 0, 100), r("b", 0, 200), r("c", 5, 110)], values: [100, 110], counts: [0, 0, 0, 1] },
    {
      name: "overlapping second source dropped",
      records: [r("a", 0, 100), r("b", 5, 100), r("c", 10, 100), r("m", 7, 150, "com.meter")],
      values: [100, 100, 100],
      counts: [0, 0, 1, 0],
    },
    {
      name: "sorted by time",
      records: [r("b", 10, 120), r("a", 0, 100), r("c", 5, 110)],
      values: [100, 110, 120],
      counts: [0, 0, 0, 0],
    },
  ])("$name", ({ records, values, counts }) => {
    const { readings, handling } = prepare(records);
    expect(readings.map((x) => x.value)).toEqual(values);
    expect([handling["duplicate_ids_removed"], handling["implausible_values_excluded"], handling["overlapping_source_readings_dropped"], handling["duplicate_timestamps_removed"]]).toEqual(counts);
    expect(handling["records_received"]).toBe(records.length);
  });

  test("offsets follow the override rule per record", () => {
    const { readings } = prepare([r("a", 0, 100, "com.a", "Z"), r("b", 5, 100, "com.a", "+02:00")], { utc_offset: "-05:00" });
    expect(readings.map((x) => [x.offset.offsetId, x.offset.source])).toEqual([
      ["-05:00", "health_metadata"],
      ["+02:00", "record"],
    ]);
  });
});
