import { joinLabels } from "./source-labels.ts";

/**
 * The sentence a daily-total narrative prints when several apps reported one day: every
 * source's figure, which one is used and that they are never added. Empty for a single source.
 * `format` prints a value through the narrative builder so the number is checked.
 */
export function sourceChoiceSentence(
  sources: readonly { readonly source: string; readonly value: number }[],
  format: (value: number) => string,
  unit: string,
): string {
  const [chosen] = sources;
  if (sources.length <= 1 || chosen === undefined) return "";
  const listed = joinLabels(sources.map((s) => `${s.source} ${format(s.value)}`));
  return `${listed} ${unit} were reported for this day by different apps; the counts overlap, so only the larger (${chosen.source}) is used, never the sum, as Health Connect itself takes one source per interval.`;
}
