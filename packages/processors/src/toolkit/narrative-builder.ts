/**
 * Builds a narrative from sentences and paragraphs, formatting every number through one
 * place so the printed string is exactly what the insights hold.
 *
 * ```ts
 * const b = new NarrativeBuilder();
 * b.add(`Mean glucose was ${b.num(111.48, 2)} mg/dL.`); // "111.48", remembered
 * b.paragraph();
 * const text = b.build(insights); // throws ProcessingError if a printed number is not in insights
 * ```
 */

import { ProcessingError, type ClinicalInsights } from "@narrative-engine/contracts";
import { missingNarrativeNumbers } from "./narrative-numbers.ts";
import { formatNumber, type FormatNumberOptions } from "./rounding.ts";

/** Collects sentences into paragraphs and remembers every number it formatted. */
export class NarrativeBuilder {
  readonly #paragraphs: string[][] = [[]];
  readonly #printed: string[] = [];

  /** Formats `value` rounded to `decimals` (see {@link formatNumber}) and remembers the string. */
  num(value: number, decimals: number, options: FormatNumberOptions = {}): string {
    const text = formatNumber(value, decimals, options);
    this.#printed.push(text);
    return text;
  }

  /** A whole number with thousands grouped ("3,933"). */
  int(value: number): string {
    return this.num(value, 0, { group: true });
  }

  /** A percentage: the number as {@link num} formats it followed by "%" ("96.05%"). */
  pct(value: number, decimals: number, options: FormatNumberOptions = {}): string {
    return `${this.num(value, decimals, options)}%`;
  }

  /** A date, clock time or other literal holding digits, printed verbatim and remembered. */
  literal(text: string): string {
    this.#printed.push(text);
    return text;
  }

  /** Appends sentences to the current paragraph (joined by single spaces). */
  add(...sentences: string[]): this {
    const current = this.#paragraphs[this.#paragraphs.length - 1];
    for (const s of sentences) if (s.length > 0) current?.push(s);
    return this;
  }

  /** Starts a new paragraph (a no-op when the current one is empty). */
  paragraph(): this {
    const current = this.#paragraphs[this.#paragraphs.length - 1];
    if (current !== undefined && current.length > 0) this.#paragraphs.push([]);
    return this;
  }

  /** Every string formatted through this builder, in order. */
  get printed(): readonly string[] {
    return this.#printed;
  }

  /** The narrative: paragraphs separated by a blank line. */
  toString(): string {
    return this.#paragraphs
      .filter((p) => p.length > 0)
      .map((p) => p.join(" "))
      .join("\n\n");
  }

  /**
   * The narrative, after checking that every number in it appears in `insights` (the
   * narrative-number rule); throws ProcessingError naming the missing numbers otherwise —
   * a processor bug must not become training data.
   */
  build(insights: ClinicalInsights): string {
    const text = this.toString();
    const missing = missingNarrativeNumbers(text, insights);
    if (missing.length > 0) {
      throw new ProcessingError(`narrative prints numbers missing from clinicalInsights: ${missing.join(", ")}`);
    }
    return text;
  }
}
