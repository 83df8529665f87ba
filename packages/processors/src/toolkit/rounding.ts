/**
 * Rounding and number formatting shared by every processor.
 *
 * Rounding is half away from zero (2.25 → 2.3, −2.25 → −2.3) and is made robust against
 * binary floating-point noise: the scaled value is first normalised to 15 significant
 * digits, so 88.99999999999999 rounds to 89.0, 69.99999999999999 to 70.0 and 1.005 to 1.01
 * (plain `Math.round(x * 100) / 100` gives 1.00). Processors round a measured value to one
 * decimal with {@link round1} BEFORE comparing it with any clinical threshold.
 */

const POWERS_OF_TEN: readonly number[] = Array.from({ length: 11 }, (_, d) => 10 ** d);

/** Rounds `value` to `decimals` decimal places, half away from zero. Throws on non-finite input. */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round a non-finite number (${String(value)})`);
  // perf: a table lookup checks `decimals` and gives 10 ** decimals (exact for 0–10) in one step.
  const factor = Number.isInteger(decimals) ? POWERS_OF_TEN[decimals] : undefined;
  if (factor === undefined) {
    throw new RangeError(`decimals must be an integer from 0 to 10, got ${String(decimals)}`);
  }
  const raw = Math.abs(value) * factor;
  // Normalising to 15 significant digits removes representation noise such as 100.49999999999999.
  // perf: below 1e9 that normalisation moves `raw` by at most 5e-7, so it can only change the
  // result when the fraction is within 1e-6 of .5; skip the string round trip otherwise.
  const fraction = raw - Math.floor(raw);
  const scaled = raw < 1e9 && Math.abs(fraction - 0.5) > 1e-6 ? raw : Number(raw.toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
  return rounded === 0 ? 0 : rounded; // never −0
}

/** Rounds to one decimal (the precision every clinical threshold is applied at). */
export function round1(value: number): number {
  return roundTo(value, 1);
}

/** Rounds to two decimals. */
export function round2(value: number): number {
  return roundTo(value, 2);
}

/** Rounds to a whole number, half away from zero. */
export function round0(value: number): number {
  return roundTo(value, 0);
}

/** Options of {@link formatNumber}. */
export interface FormatNumberOptions {
  /** Drop trailing zeros after the decimal point ("100.00" → "100", "3.50" → "3.5"). */
  readonly trim?: boolean;
  /** Group thousands with commas ("3933" → "3,933"). */
  readonly group?: boolean;
}

/**
 * Formats `value` rounded to `decimals` places as the exact string a narrative prints,
 * independent of the host locale ("111.48", "15.00", "3,933").
 */
export function formatNumber(value: number, decimals: number, options: FormatNumberOptions = {}): string {
  let text = roundTo(value, decimals).toFixed(decimals);
  if (options.trim === true && text.includes(".")) text = text.replace(/\.?0+$/, "");
  if (options.group === true) {
    const [whole = "", fraction] = text.split(".");
    const sign = whole.startsWith("-") ? "-" : "";
    const digits = sign === "" ? whole : whole.slice(1);
    const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    text = `${sign}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
  }
  return text;
}

/** Formats with a fixed number of decimals ("15.00"); shorthand for {@link formatNumber}. */
export function formatFixed(value: number, decimals: number): string {
  return formatNumber(value, decimals);
}
