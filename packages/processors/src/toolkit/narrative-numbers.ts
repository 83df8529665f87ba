/**
 * The narrative-number check: every number a narrative prints must appear, with the same
 * rounding, in `clinicalInsights`. Narratives become training targets, so an unbacked
 * number is a defect.
 *
 * Tokens, in canonical form:
 * - dates `YYYY-MM-DD` as written;
 * - clock times `H:MM`/`HH:MM` (a leading sign is ignored, so `UTC-05:00` gives `05:00`)
 *   with the hour padded to two digits;
 * - other numbers, with thousands commas removed and then written as JavaScript writes the
 *   number (`"15.00"` → `"15"`, `"3,933"` → `"3933"`); a minus sign counts only when it does
 *   not follow a letter, digit or dot (so `54-69` gives `54` and `69`); digits glued to a
 *   preceding letter are part of a name, not a number (`HbA1c`, `Q1`, `N3`).
 *
 * Insight values are flattened recursively: numbers give `String(n)`, strings give the
 * tokens found in them (so `"2019 International Consensus"` backs `2019`, and `"70-180"`
 * backs `70` and `180`); keys, booleans and null give nothing.
 */

import type { ClinicalInsights, JsonValue } from "@narrative-engine/contracts";

const TOKEN = /(\d{4}-\d{2}-\d{2})|[+-]?(\d{1,2}:\d{2})(?!\d)|((?:(?<![\p{L}\p{N}.])-)?(?<![\p{L}\p{N}])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)/gu;

function canonicalNumber(text: string): string {
  const n = Number(text.replace(/,/g, ""));
  return Object.is(n, -0) ? "0" : String(n);
}

/** The canonical number tokens of a text, in order of appearance (see the module comment). */
export function numbersInNarrative(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [, date, clock, number] = match;
    if (date !== undefined) tokens.push(date);
    else if (clock !== undefined) tokens.push(clock.padStart(5, "0"));
    else if (number !== undefined) tokens.push(canonicalNumber(number));
  }
  return tokens;
}

/** Every number token held by `insights`, flattened, de-duplicated, in traversal order. */
export function insightNumbers(insights: ClinicalInsights): string[] {
  const out = new Set<string>();
  const visit = (value: JsonValue | undefined): void => {
    if (typeof value === "number") {
      if (Number.isFinite(value)) out.add(Object.is(value, -0) ? "0" : String(value));
    } else if (typeof value === "string") {
      for (const token of numbersInNarrative(value)) out.add(token);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) visit(value[key]);
    }
  };
  for (const key of Object.keys(insights)) visit(insights[key]);
  return [...out];
}

/** Number tokens of `narrative` that `insights` does not hold (empty when the check passes). */
export function missingNarrativeNumbers(narrative: string, insights: ClinicalInsights): string[] {
  const held = new Set(insightNumbers(insights));
  return [...new Set(numbersInNarrative(narrative).filter((t) => !held.has(t)))];
}
