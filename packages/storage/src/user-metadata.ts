import { ValidationError } from "@narrative-engine/errors";

// S3 sends user metadata as HTTP headers: printable ASCII only, and it lowercases the names.
const NAME = /^[a-z0-9][a-z0-9._-]*$/i;
const VALUE = /^[\x20-\x7e]*$/;

/** Checks user metadata both stores can keep, and returns it with lowercased names (as S3 does). */
export function normalizeUserMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (!NAME.test(name)) throw new ValidationError(`metadata name ${JSON.stringify(name)} must be ASCII letters, digits, '.', '_' or '-'`);
    if (typeof value !== "string" || !VALUE.test(value)) {
      throw new ValidationError(`metadata value of ${JSON.stringify(name)} must be printable ASCII`);
    }
    out[name.toLowerCase()] = value;
  }
  return out;
}
