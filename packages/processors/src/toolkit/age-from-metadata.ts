/** Keys of `healthMetadata` read, in this order, for the person's age in years. */
export const AGE_METADATA_KEYS = ["age", "age_years", "user_age"] as const;

/**
 * The person's age in whole years from a message's `healthMetadata` (a number or a numeric
 * string under one of {@link AGE_METADATA_KEYS}); undefined when absent or outside 1–120, so an
 * age-dependent figure is never computed from a guess.
 */
export function ageFromMetadata(healthMetadata: Readonly<Record<string, unknown>> | undefined): number | undefined {
  if (healthMetadata === undefined) return undefined;
  for (const key of AGE_METADATA_KEYS) {
    const raw = healthMetadata[key];
    const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
    if (Number.isFinite(value) && value >= 1 && value <= 120) return Math.floor(value);
  }
  return undefined;
}
