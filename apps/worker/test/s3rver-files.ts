import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";

const OBJECT_SUFFIX = "._S3rver_object";

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** Quarantine sidecars (`metadata.json`) stored by s3rver in `directory`, by idempotency key (their folder). */
export function quarantineSidecars(directory: string, bucket: string, prefix = "quarantine"): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const p of walk(join(directory, bucket, prefix))) {
    if (!p.endsWith(`metadata.json${OBJECT_SUFFIX}`)) continue;
    out.set(basename(resolve(p, "..")), JSON.parse(readFileSync(p, "utf8")) as unknown);
  }
  return out;
}

/** Training objects stored by s3rver in `directory`: idempotency key → their contents. */
export function trainingObjects(directory: string, bucket: string, prefix = "training"): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of walk(join(directory, bucket, prefix))) {
    if (!p.endsWith(`.jsonl${OBJECT_SUFFIX}`)) continue;
    const key = basename(p).slice(0, -`.jsonl${OBJECT_SUFFIX}`.length);
    out.set(key, [...(out.get(key) ?? []), readFileSync(p, "utf8")]);
  }
  return out;
}
