import { ValidationError } from "@narrative-engine/errors";

/** Names starting with this are the file store's own (sidecars, temp files) and never keys. */
export const RESERVED_PREFIX = ".ne-";

const BUCKET = /^[a-z0-9][a-z0-9.-]{0,62}$/;

/** Checks a bucket name (S3 rules: lowercase letters, digits, '.', '-'; 1–63 characters). */
export function checkBucket(bucket: string): void {
  if (typeof bucket !== "string" || !BUCKET.test(bucket) || bucket.includes("..")) {
    throw new ValidationError(`invalid bucket name ${JSON.stringify(bucket)}: use 1–63 lowercase letters, digits, '.' and '-'`);
  }
}

/**
 * Checks an object key for the local store and returns its segments. Keys are literal: no
 * decoding happens, so `%2e%2e` is a file named `%2e%2e`, never `..`.
 */
export function keySegments(key: string): string[] {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new ValidationError(`invalid object key ${JSON.stringify(key)}: ${problem}`);
  return key.split("/");
}

function keyProblem(key: string): string | undefined {
  if (typeof key !== "string" || key.length === 0) return "it is empty";
  if (Buffer.byteLength(key) > 1024) return "it is longer than 1,024 bytes";
  if (key.includes("\0")) return "it contains a NUL character";
  if (key.includes("\\")) return "it contains a backslash";
  if (key.startsWith("/")) return "it is an absolute path";
  const segments = key.split("/");
  for (const segment of segments) {
    if (segment === "") return "it has an empty path segment (leading, trailing or double '/')";
    if (segment === "." || segment === "..") return `it has a '${segment}' segment`;
    if (segment.startsWith(RESERVED_PREFIX)) return `segment ${JSON.stringify(segment)} uses the reserved prefix ${RESERVED_PREFIX}`;
    if (Buffer.byteLength(segment) > 255) return "a path segment is longer than 255 bytes";
  }
  return undefined;
}

/** Checks a list prefix: like a key, but it may be empty and may end in '/' or a partial name. */
export function checkPrefix(prefix: string): void {
  if (prefix === "") return;
  const withoutTrailing = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  const problem = keyProblem(withoutTrailing);
  if (problem !== undefined) throw new ValidationError(`invalid list prefix ${JSON.stringify(prefix)}: ${problem}`);
}
