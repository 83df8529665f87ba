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

describe("arithmetic local time matches Date", () => {
  // The fields are computed without a Date per call; they must equal what Date gives, fractional,
  // negative and far-off instants included.
  const viaDate = (epochMs: number, offset: number) => {
    const d = new Date(epochMs + offset * 60_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    return {
      date: `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      clock: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
      weekday: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()] ?? "Sunday",
    };
  };
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const instants = [0, -0.5, 0.5, -1, -86_400_000.25, 8.64e15, -8.64e15, 8.64e15 + 1, -62_198_755_200_000, 253_402_300_799_999, T];
  for (let i = 0; i < 500; i++) instants.push((next() - 0.5) * 2 * 4e12 + (i % 3 === 0 ? next() : 0));
  const offsets = [0, -300, 330, 825, -720, 840, Number.NaN];

  test("for every field", () => {
    for (const t of instants) {
      for (const offset of offsets) {
        const expected = viaDate(t, offset);
        expect(toLocalDateTime(t, offset)).toEqual(expected);
        expect(localDate(t, offset)).toBe(expected.date);
        expect(localHour(t, offset)).toBe(expected.hour);
        expect(localClock(t, offset)).toBe(expected.clock);
        expect(localWeekday(t, offset)).toBe(expected.weekday);
      }
    }
  });
});
