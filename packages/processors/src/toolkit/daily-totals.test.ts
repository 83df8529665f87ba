import { describe, expect, test } from "vitest";
import { dailyTotalsOneSource, type IntervalAmount } from "./daily-totals.ts";

const at = (iso: string): number => Date.parse(iso);
const SAMSUNG = "com.sec.android.app.shealth";
const OURA = "com.ouraring.oura";

function amount(source: string, start: string, end: string, value: number, modified: string): IntervalAmount {
  return { source, startMs: at(start), endMs: at(end), value, lastModifiedMs: at(modified), offsetMinutes: -300 };
}

describe("dailyTotalsOneSource", () => {
  test("the real Samsung 3,933 / Oura 2,517 day uses the larger, never the sum, and is partial", () => {
    const days = dailyTotalsOneSource([
      amount(SAMSUNG, "2025-09-20T00:00:00-05:00", "2025-09-20T23:59:59.999-05:00", 3933, "2025-09-20T17:10:56-05:00"),
      amount(OURA, "2025-09-20T04:00:00-05:00", "2025-09-20T23:59:59.999-05:00", 2517, "2025-09-20T17:03:59-05:00"),
    ]);
    expect(days).toHaveLength(1);
    const [day] = days;
    expect(day?.day).toBe("2025-09-20");
    expect(day?.chosen).toMatchObject({ source: SAMSUNG, total: 3933, records: 1 });
    expect(day?.sources.map((s) => [s.source, s.total])).toEqual([
      [SAMSUNG, 3933],
      [OURA, 2517],
    ]);
    expect(day?.partial).toBe(true);
    expect(day?.lastModifiedMs).toBe(at("2025-09-20T17:10:56-05:00"));
  });

  test("a day modified after it ended is complete", () => {
    const [day] = dailyTotalsOneSource([
      amount(SAMSUNG, "2025-09-20T00:00:00-05:00", "2025-09-20T23:59:59.999-05:00", 8000, "2025-09-21T00:30:00-05:00"),
    ]);
    expect(day?.partial).toBe(false);
  });

  test("non-overlapping records of one source add up; overlapping ones do not", () => {
    const days = dailyTotalsOneSource([
      amount(SAMSUNG, "2025-09-20T08:00:00-05:00", "2025-09-20T09:00:00-05:00", 1000, "2025-09-21T01:00:00-05:00"),
      amount(SAMSUNG, "2025-09-20T09:00:00-05:00", "2025-09-20T10:00:00-05:00", 500, "2025-09-21T01:00:00-05:00"),
      amount(SAMSUNG, "2025-09-20T09:30:00-05:00", "2025-09-20T09:45:00-05:00", 200, "2025-09-21T01:00:00-05:00"),
    ]);
    expect(days[0]?.chosen.total).toBe(1500);
    expect(days[0]?.chosen.records).toBe(2);
  });

  test("an interval across local midnight is apportioned by time to both days", () => {
    const days = dailyTotalsOneSource([
      amount(SAMSUNG, "2025-09-20T23:00:00-05:00", "2025-09-21T01:00:00-05:00", 600, "2025-09-22T01:00:00-05:00"),
    ]);
    expect(days.map((d) => [d.day, d.chosen.total])).toEqual([
      ["2025-09-20", 300],
      ["2025-09-21", 300],
    ]);
  });

  test("ties between sources are broken by package name, so the choice is deterministic", () => {
    const a = amount(SAMSUNG, "2025-09-20T00:00:00-05:00", "2025-09-20T23:59:59.999-05:00", 100, "2025-09-21T01:00:00-05:00");
    const b = amount(OURA, "2025-09-20T00:00:00-05:00", "2025-09-20T23:59:59.999-05:00", 100, "2025-09-21T01:00:00-05:00");
    expect(dailyTotalsOneSource([a, b])[0]?.chosen.source).toBe(OURA);
    expect(dailyTotalsOneSource([b, a])[0]?.chosen.source).toBe(OURA);
  });

  test("no amounts, no days", () => {
    expect(dailyTotalsOneSource([])).toEqual([]);
  });
});
