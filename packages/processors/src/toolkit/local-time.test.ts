import { afterEach, describe, expect, test, vi } from "vitest";
import { groupByLocalDay, groupByLocalHour, hourLabel, localClock, localDate, localDateTimeLabel, localHour, localWeekday, toLocalDateTime } from "./local-time.ts";

// 2025-09-20T07:39:30Z — a Saturday in UTC.
const T = Date.UTC(2025, 8, 20, 7, 39, 30);

describe("local time from a fixed offset", () => {
  test.each([
    [0, "2025-09-20", "07:39", 7, "Saturday"],
    [-300, "2025-09-20", "02:39", 2, "Saturday"],
    [-480, "2025-09-19", "23:39", 23, "Friday"],
    [330, "2025-09-20", "13:09", 13, "Saturday"],
    [825, "2025-09-20", "21:24", 21, "Saturday"],
    [-720, "2025-09-19", "19:39", 19, "Friday"],
  ])("offset %s min → %s %s", (offset, date, clock, hour, weekday) => {
    expect(localDate(T, offset)).toBe(date);
    expect(localClock(T, offset)).toBe(clock);
    expect(localHour(T, offset)).toBe(hour);
    expect(localWeekday(T, offset)).toBe(weekday);
    expect(localDateTimeLabel(T, offset)).toBe(`${date} ${clock}`);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test.each([["Pacific/Chatham"], ["America/Los_Angeles"], ["Asia/Kathmandu"], ["UTC"]])("does not depend on the host zone (TZ=%s)", (tz) => {
    vi.stubEnv("TZ", tz);
    expect(toLocalDateTime(T, -300)).toEqual({ date: "2025-09-20", hour: 2, minute: 39, clock: "02:39", weekday: "Saturday" });
  });

  test("hourLabel pads", () => {
    expect(hourLabel(7)).toBe("07:00");
    expect(hourLabel(23)).toBe("23:00");
  });

  test("rejects a non-finite instant", () => {
    expect(() => localDate(Number.NaN, 0)).toThrow(/finite/);
  });
});

describe("grouping", () => {
  const items = [
    { t: Date.UTC(2025, 8, 20, 4, 0), off: -300 }, // 2025-09-19 23:00 local
    { t: Date.UTC(2025, 8, 20, 6, 0), off: -300 }, // 2025-09-20 01:00
    { t: Date.UTC(2025, 8, 19, 20, 0), off: -300 }, // 2025-09-19 15:00
    { t: Date.UTC(2025, 8, 20, 6, 30), off: -300 }, // 2025-09-20 01:30
  ];
  const accessor = { time: (i: (typeof items)[number]) => i.t, offsetMinutes: (i: (typeof items)[number]) => i.off };

  test("by local day, dates ascending, input order inside a day", () => {
    const days = groupByLocalDay(items, accessor);
    expect([...days.keys()]).toEqual(["2025-09-19", "2025-09-20"]);
    expect(days.get("2025-09-19")).toEqual([items[0], items[2]]);
    expect(days.get("2025-09-20")?.length).toBe(2);
  });

  test("by local hour, hours ascending", () => {
    const hours = groupByLocalHour(items, accessor);
    expect([...hours.keys()]).toEqual([1, 15, 23]);
    expect(hours.get(1)?.length).toBe(2);
  });
});
