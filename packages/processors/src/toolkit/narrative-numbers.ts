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
  return scan(text).tokens;
}

/** Tokens of a text and, for each plain-number token, the number it canonicalises (undefined for dates and clock times). */
interface Scan {
  readonly tokens: string[];
  readonly values: (number | undefined)[];
}

const NO_TOKENS: Scan = { tokens: [], values: [] };

function scan(text: string): Scan {
  // Every token holds a digit: a text without one (most insight strings) has none.
  if (!/\d/.test(text)) return { tokens: [], values: [] };
  const tokens: string[] = [];
  const values: (number | undefined)[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [, date, clock, number] = match;
    if (date !== undefined) {
      tokens.push(date);
      values.push(undefined);
    } else if (clock !== undefined) {
      tokens.push(clock.padStart(5, "0"));
      values.push(undefined);
    } else if (number !== undefined) {
      tokens.push(canonicalNumber(number));
      values.push(Number(number.replace(/,/g, "")));
    }
  }
  return { tokens, values };
}

// perf: insights repeat the same strings file after file (references, rules, labels), so their
// tokens are kept; bounded, so a long-running worker does not grow it without end.
const insightStringTokens = new Map<string, readonly string[]>();
const INSIGHT_STRING_CACHE_LIMIT = 10_000;

function tokensOfInsightString(text: string): readonly string[] {
  let tokens = insightStringTokens.get(text);
  if (tokens === undefined) {
    tokens = scan(text).tokens;
    if (insightStringTokens.size >= INSIGHT_STRING_CACHE_LIMIT) insightStringTokens.clear();
    insightStringTokens.set(text, tokens);
  }
  return tokens;
}

/** Walks every value of `insights` (keys, booleans and null give nothing). */
function visitInsights(insights: ClinicalInsights, onNumber: (n: number) => void, onString: (s: string) => void): void {
  const visit = (value: JsonValue | undefined): void => {
    if (typeof value === "number") {
      if (Number.isFinite(value)) onNumber(value);
    } else if (typeof value === "string") {
      onString(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) visit(value[key]);
    }
  };
  for (const key of Object.keys(insights)) visit(insights[key]);
}

/** Every number token held by `insights`, flattened, de-duplicated, in traversal order. */
export function insightNumbers(insights: ClinicalInsights): string[] {
  const out = new Set<string>();
  visitInsights(
    insights,
    (n) => out.add(Object.is(n, -0) ? "0" : String(n)),
    (s) => {
      for (const token of tokensOfInsightString(s)) out.add(token);
    },
  );
  return [...out];
}

/** Number tokens of `narrative` that `insights` does not hold (empty when the check passes). */
export function missingNarrativeNumbers(narrative: string, insights: ClinicalInsights): string[] {
  const { tokens, values } = narrative === "" ? NO_TOKENS : scan(narrative);
  if (tokens.length === 0) return [];
  // perf: the same answer as comparing each token with String(n) of every insight number (see
  // insightNumbers), without formatting them: String is one-to-one on finite numbers once −0 is
  // read as 0, so a plain-number token is held exactly when its value is, and a Set of numbers
  // already treats −0 as 0. Dates, clock times and numbers inside insight strings are compared as text.
  const heldNumbers = new Set<number>();
  const heldTokens = new Set<string>();
  visitInsights(
    insights,
    (n) => heldNumbers.add(n),
    (s) => {
      for (const token of tokensOfInsightString(s)) heldTokens.add(token);
    },
  );
  const missing = tokens.filter((token, i) => {
    const value = values[i];
    return !(value !== undefined && heldNumbers.has(value)) && !heldTokens.has(token);
  });
  return [...new Set(missing)];
}
