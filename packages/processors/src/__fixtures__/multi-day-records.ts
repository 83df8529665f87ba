// Two weeks of sleep, steps and active calories for the multi-day paths (variability, weekly
// totals). Written as records, then round-tripped through the Avro encoder and decoder in the
// tests so they exercise the same decoding as the real exports.
import type { ActiveCaloriesBurnedRecord, SleepSessionRecord, StepsRecord } from "@narrative-engine/contracts";
import { OURA, SAMSUNG, activeCalories, isoAt, ms, sleepSession, stageRun, steps, uid, wholeDay } from "./activity-sleep-records.ts";

const ZONE = "-05:00";
const DAY_MS = 86_400_000;

/** Local date `k` days after 2025-09-01. */
export function dayOf(k: number): string {
  return new Date(Date.parse("2025-09-01T00:00:00Z") + k * DAY_MS).toISOString().slice(0, 10);
}

/**
 * 14 nights ending 2025-09-01 … 2025-09-14. Even nights: bed 23:00 the evening before, 420 min
 * asleep; odd nights: bed 01:00, 480 min asleep. Each: 10 min awake, light, 90 min deep, 20 min
 * awake, 100 min REM. Oura also records nights 0, 5 and 10 (shorter, staged); a 90-min Samsung
 * nap at 14:00 on 2025-09-06 is kept out of the nightly figures.
 */
export function fourteenNights(): SleepSessionRecord[] {
  const out: SleepSessionRecord[] = [];
  for (let k = 0; k < 14; k++) {
    const wake = dayOf(k);
    const even = k % 2 === 0;
    const bed = even ? isoAt(ms(`${wake}T23:00:00.000${ZONE}`) - DAY_MS, ZONE) : `${wake}T01:00:00.000${ZONE}`;
    const light = even ? 230 : 290;
    const stages = stageRun(bed, [
      [10, "AWAKE"],
      [light, "LIGHT"],
      [90, "DEEP"],
      [20, "AWAKE"],
      [100, "REM"],
    ]);
    const end = stages[stages.length - 1]?.[1] ?? bed;
    out.push(sleepSession({ id: uid(`night-${k}`), source: SAMSUNG, start: bed, end, stages }));
    if (k % 5 === 0) {
      const ouraStart = isoAt(ms(bed) + 30 * 60_000, ZONE);
      const ouraStages = stageRun(ouraStart, [
        [200, "LIGHT"],
        [60, "DEEP"],
        [60, "REM"],
      ]);
      const ouraEnd = ouraStages[ouraStages.length - 1]?.[1] ?? ouraStart;
      out.push(sleepSession({ id: uid(`oura-night-${k}`), source: OURA, start: ouraStart, end: ouraEnd, stages: ouraStages, title: "Oura" }));
    }
  }
  const napStart = `${dayOf(5)}T14:00:00.000${ZONE}`;
  const napStages = stageRun(napStart, [
    [5, "AWAKE"],
    [85, "LIGHT"],
  ]);
  out.push(sleepSession({ id: uid("nap"), source: SAMSUNG, start: napStart, end: napStages[1]?.[1] ?? napStart, stages: napStages }));
  return out;
}

/** Samsung daily steps for 2025-09-01 … 2025-09-14: 4,000 + 1,000·(k mod 10). */
export const SAMSUNG_STEPS = Array.from({ length: 14 }, (_, k) => 4000 + 1000 * (k % 10));

/**
 * 14 days of steps: one Samsung daily total per day (modified 00:30 the next day, except the
 * last day, last modified at 17:00 that day: partial), and Oura totals on days 2 and 9 — larger
 * than Samsung's on day 2, smaller on day 9.
 */
export function fourteenDaysOfSteps(): StepsRecord[] {
  const out: StepsRecord[] = [];
  for (let k = 0; k < 14; k++) {
    const day = dayOf(k);
    const { start, end } = wholeDay(day, ZONE);
    const modified = k === 13 ? `${day}T17:00:00.000${ZONE}` : `${dayOf(k + 1)}T00:30:00.000${ZONE}`;
    out.push(steps({ id: uid(`steps-${k}`), source: SAMSUNG, start, end, count: SAMSUNG_STEPS[k] ?? 0, modified }));
  }
  out.push(steps({ id: uid("oura-steps-2"), source: OURA, start: `${dayOf(2)}T04:00:00.000${ZONE}`, end: wholeDay(dayOf(2)).end, count: 9000, modified: `${dayOf(3)}T01:00:00.000${ZONE}` }));
  out.push(steps({ id: uid("oura-steps-9"), source: OURA, start: `${dayOf(9)}T04:00:00.000${ZONE}`, end: wholeDay(dayOf(9)).end, count: 2000, modified: `${dayOf(10)}T01:00:00.000${ZONE}` }));
  return out;
}

/**
 * 14 days of Oura active calories, 100 + 10·k kcal on day k; day 13 is partial. Day 4 is a
 * legacy record in small calories (140,000 "kcal" → 140 kcal).
 */
export function fourteenDaysOfActiveCalories(): ActiveCaloriesBurnedRecord[] {
  const out: ActiveCaloriesBurnedRecord[] = [];
  for (let k = 0; k < 14; k++) {
    const day = dayOf(k);
    const modified = k === 13 ? `${day}T17:03:59.000${ZONE}` : `${dayOf(k + 1)}T00:30:00.000${ZONE}`;
    const kcal = 100 + 10 * k;
    out.push(
      activeCalories({
        id: uid(`kcal-${k}`),
        source: OURA,
        start: `${day}T04:00:00.000${ZONE}`,
        end: wholeDay(day, ZONE).end,
        kcal: k === 4 ? kcal * 1000 : kcal,
        modified,
      }),
    );
  }
  return out;
}
