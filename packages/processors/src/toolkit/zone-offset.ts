/**
 * UTC offsets of Health Connect records and the user-offset override.
 *
 * Health Connect stores a fixed UTC offset per record (`zoneOffsetId`: `Z`, `-05:00`,
 * `+05:30`). Some sources (the Dexcom app among them) write `Z` even when the user is not
 * in UTC. The rule every processor applies, through {@link resolveZoneOffset}:
 *
 * 1. the record's own offset when it is a non-zero offset (`-05:00`);
 * 2. otherwise (the record says `Z`, `UTC`, nothing, or something unparseable) the user
 *    offset from `message.healthMetadata` when present — see {@link USER_OFFSET_METADATA_KEYS};
 * 3. otherwise the record's `Z` (UTC), or UTC by default when the record had no usable offset.
 *
 * The host time zone is never consulted. Only fixed offsets are understood; IANA zone names
 * in `healthMetadata` are ignored (they would need a daylight-saving table per instant).
 */

/** Keys of `healthMetadata` read, in this order, for the user's UTC offset (a string such as "-05:00"). */
export const USER_OFFSET_METADATA_KEYS = [
  "user_timezone_offset",
  "utc_offset",
  "timezone_offset",
  "user_utc_offset",
  "zone_offset_id",
] as const;

/** Where the offset used for a record came from. */
export type OffsetSource = "record" | "health_metadata" | "default_utc";

/** The offset used to turn one record's instant into local time. */
export interface ResolvedOffset {
  /** Minutes east of UTC (−300 for `-05:00`). */
  readonly offsetMinutes: number;
  /** Canonical id, `±HH:MM` (`+00:00` for UTC). */
  readonly offsetId: string;
  /** Where it came from. */
  readonly source: OffsetSource;
}

const OFFSET_PATTERN = /^([+-])(\d{2})(?::?(\d{2}))?$/;

/**
 * Parses a zone offset id to minutes east of UTC: `Z`, `UTC`, `GMT`, `±HH:MM`, `±HHMM` or
 * `±HH` (up to ±18:00, as java.time allows). Returns undefined for anything else.
 */
export function parseZoneOffset(id: string | null | undefined): number | undefined {
  if (id === null || id === undefined) return undefined;
  const text = id.trim();
  if (text === "Z" || text === "UTC" || text === "GMT") return 0;
  const match = OFFSET_PATTERN.exec(text.replace(/^(UTC|GMT)(?=[+-])/, ""));
  if (match === null) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? "0");
  if (minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  if (total > 18 * 60) return undefined;
  const signed = match[1] === "-" ? -total : total;
  return signed === 0 ? 0 : signed;
}

/** Formats minutes east of UTC as `±HH:MM` (`+00:00` for UTC, `-05:00`, `+05:30`). */
export function formatZoneOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${sign}${hh}:${mm}`;
}

/** The user's UTC offset from a message's `healthMetadata`, in minutes, when one of the known keys holds a valid offset string. */
export function userOffsetFromMetadata(healthMetadata: Readonly<Record<string, unknown>> | undefined): number | undefined {
  if (healthMetadata === undefined) return undefined;
  for (const key of USER_OFFSET_METADATA_KEYS) {
    const value = healthMetadata[key];
    if (typeof value !== "string") continue;
    const parsed = parseZoneOffset(value);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

/** Applies the offset rule (see the module comment) to one record's `zoneOffsetId`. */
export function resolveZoneOffset(
  recordZoneOffsetId: string | null | undefined,
  healthMetadata: Readonly<Record<string, unknown>> | undefined,
): ResolvedOffset {
  const own = parseZoneOffset(recordZoneOffsetId);
  if (own !== undefined && own !== 0) return { offsetMinutes: own, offsetId: formatZoneOffset(own), source: "record" };
  const user = userOffsetFromMetadata(healthMetadata);
  if (user !== undefined) return { offsetMinutes: user, offsetId: formatZoneOffset(user), source: "health_metadata" };
  if (own === 0) return { offsetMinutes: 0, offsetId: "+00:00", source: "record" };
  return { offsetMinutes: 0, offsetId: "+00:00", source: "default_utc" };
}

/**
 * {@link resolveZoneOffset} for one message's `healthMetadata`, resolving each distinct zone id
 * once: a file repeats one or two ids over thousands of records, and the result depends only on
 * the id. Records resolved to the same id share one (read-only) result object.
 */
export function zoneOffsetResolver(healthMetadata: Readonly<Record<string, unknown>> | undefined): (recordZoneOffsetId: string | null | undefined) => ResolvedOffset {
  const byId = new Map<string | null | undefined, ResolvedOffset>();
  return (id) => {
    let resolved = byId.get(id);
    if (resolved === undefined) {
      resolved = resolveZoneOffset(id, healthMetadata);
      byId.set(id, resolved);
    }
    return resolved;
  };
}

/** What insights record about the offsets a processor used. */
export interface OffsetSummary {
  /** Distinct offsets used, sorted (`["-05:00"]`). */
  readonly utc_offsets_used: string[];
  /** Distinct sources of those offsets, sorted. */
  readonly utc_offset_sources: OffsetSource[];
}

/** Summarises resolved offsets for `clinicalInsights` (snake_case keys). */
export function summarizeOffsets(resolved: Iterable<ResolvedOffset>): OffsetSummary {
  const ids = new Set<string>();
  const sources = new Set<OffsetSource>();
  for (const r of resolved) {
    ids.add(r.offsetId);
    sources.add(r.source);
  }
  return { utc_offsets_used: [...ids].sort(), utc_offset_sources: [...sources].sort() };
}
