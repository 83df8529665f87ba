import { createHash, timingSafeEqual } from "node:crypto";

/** SHA-256 of the bytes (a string is hashed as UTF-8), as lowercase hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** True when the bytes hash to `expectedHex` (case-insensitive; anything not 64 hex digits is false). */
export function verifySha256(bytes: Uint8Array | string, expectedHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(expectedHex)) return false;
  return timingSafeEqual(Buffer.from(sha256Hex(bytes), "hex"), Buffer.from(expectedHex, "hex"));
}
