/**
 * Local calendar and clock values from an instant and a fixed UTC offset. Everything is
 * computed with UTC arithmetic on `epochMs + offset`, so the host time zone (`TZ`) never
 * matters.
 */

const MINUTE_MS = 60_000;

/** Weekday names, Sunday first (as `Date#getUTCDay`). */
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** One of {@link WEEKDAYS}. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Local calendar and clock fields of an instant. */
export interface LocalDateTime {
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Local hour, 0–23. */
  readonly hour: number;
  /** Local minute, 0–59. */
  readonly minute: number;
  /** Local clock time, `HH:MM`. */
  readonly clock: string;
  /** Local weekday name. */
  readonly weekday: Weekday;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Largest |time value| a Date holds; beyond it `new Date` is invalid (every field NaN). */
const MAX_DATE_MS = 8.64e15;

const pad2 = (n: number): string => String(n).padStart(2, "0");

function shifted(epochMs: number, offsetMinutes: number): Date {
  if (!Number.isFinite(epochMs)) throw new RangeError("epoch milliseconds must be finite");
  return new Date(epochMs + offsetMinutes * MINUTE_MS);
}

/** Fields of an instant the slow way, through a Date: for shifted instants outside the Date range (all NaN). */
function fromDate(d: Date): LocalDateTime {
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    date: `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    hour,
    minute,
    clock: `${pad2(hour)}:${pad2(minute)}`,
    weekday: WEEKDAYS[d.getUTCDay()] ?? "Sunday",
  };
}

// perf: processors ask for the local date or hour of every reading. Formatting a Date per call
// dominated their profiles, so the fields are computed with integer arithmetic on the shifted
// instant and the strings come from caches: one date string per day number (a file spans a few
// hundred days at most) and one clock string per minute of the day.
const dateByDay = new Map<number, string>();
const DATE_CACHE_LIMIT = 20_000;
const clockByMinute: string[] = [];

/**
 * The shifted instant as `new Date(epochMs + offset)` holds it (TimeClip truncates toward zero
 * and turns −0 into 0), or undefined when that Date would be invalid.
 */
function shiftedMs(epochMs: number, offsetMinutes: number): number | undefined {
  if (!Number.isFinite(epochMs)) throw new RangeError("epoch milliseconds must be finite");
  const ms = Math.trunc(epochMs + offsetMinutes * MINUTE_MS) + 0;
  return Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function dateOfDay(day: number): string {
  let date = dateByDay.get(day);
  if (date === undefined) {
    if (dateByDay.size >= DATE_CACHE_LIMIT) dateByDay.clear();
    date = fromDate(new Date(day * DAY_MS)).date;
    dateByDay.set(day, date);
  }
  return date;
}

function clockOfMinute(minuteOfDay: number): string {
  let clock = clockByMinute[minuteOfDay];
  if (clock === undefined) {
    clock = `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
    clockByMinute[minuteOfDay] = clock;
  }
  return clock;
}

/** All local fields of `epochMs` at `offsetMinutes` east of UTC. */
export function toLocalDateTime(epochMs: number, offsetMinutes: number): LocalDateTime {
  const ms = shiftedMs(epochMs, offsetMinutes);
  if (ms === undefined) return fromDate(shifted(epochMs, offsetMinutes));
  const day = Math.floor(ms / DAY_MS);
  const minuteOfDay = Math.floor((ms - day * DAY_MS) / MINUTE_MS);
  const hour = Math.floor(minuteOfDay / 60);
  return {
    date: dateOfDay(day),
    hour,
    minute: minuteOfDay % 60,
    clock: clockOfMinute(minuteOfDay),
    // 1970-01-01 (day 0) was a Thursday.
    weekday: WEEKDAYS[(((day + 4) % 7) + 7) % 7] ?? "Sunday",
  };
}

/** Local date `YYYY-MM-DD`. */
export function localDate(epochMs: number, offsetMinutes: number): string {
  const ms = shiftedMs(epochMs, offsetMinutes);
  return ms === undefined ? fromDate(shifted(epochMs, offsetMinutes)).date : dateOfDay(Math.floor(ms / DAY_MS));
}

/** Local weekday name. */
export function localWeekday(epochMs: number, offsetMinutes: number): Weekday {
  return toLocalDateTime(epochMs, offsetMinutes).weekday;
}

/** Local hour 0–23. */
export function localHour(epochMs: number, offsetMinutes: number): number {
  const ms = shiftedMs(epochMs, offsetMinutes);
  if (ms === undefined) return fromDate(shifted(epochMs, offsetMinutes)).hour;
  return Math.floor((ms - Math.floor(ms / DAY_MS) * DAY_MS) / HOUR_MS);
}

/** Local clock time `HH:MM` (seconds truncated). */
export function localClock(epochMs: number, offsetMinutes: number): string {
  return toLocalDateTime(epochMs, offsetMinutes).clock;
}

/** Local date and clock, `YYYY-MM-DD HH:MM`. */
export function localDateTimeLabel(epochMs: number, offsetMinutes: number): string {
  const t = toLocalDateTime(epochMs, offsetMinutes);
  return `${t.date} ${t.clock}`;
}

/** Hour label `HH:00` for a local hour 0–23. */
export function hourLabel(hour: number): string {
  return `${pad2(hour)}:00`;
}

/** How to read the instant and offset of an item being grouped. */
export interface LocalTimeAccessor<T> {
  /** The item's instant, epoch milliseconds. */
  readonly time: (item: T) => number;
  /** The item's offset, minutes east of UTC. */
  readonly offsetMinutes: (item: T) => number;
}

/** Groups items by local date; the map iterates in ascending date order and keeps input order inside a day. */
export function groupByLocalDay<T>(items: Iterable<T>, accessor: LocalTimeAccessor<T>): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = localDate(accessor.time(item), accessor.offsetMinutes(item));
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [item]);
    else list.push(item);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Groups items by local hour 0–23; the map iterates in ascending hour order and keeps input order inside an hour. */
export function groupByLocalHour<T>(items: Iterable<T>, accessor: LocalTimeAccessor<T>): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const key = localHour(accessor.time(item), accessor.offsetMinutes(item));
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [item]);
    else list.push(item);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}
