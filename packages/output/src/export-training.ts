import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { trainingExampleSchema } from "@narrative-engine/contracts";
import type { ObjectStore } from "@narrative-engine/storage";
import { DEFAULT_TRAINING_PREFIX, normalizeTrainingPrefix } from "./training-object-key.ts";

/** Options of {@link exportTraining}. */
export interface ExportTrainingOptions {
  /** Store holding the training objects. */
  readonly store: ObjectStore;
  /** Bucket of the training objects. */
  readonly bucket: string;
  /** Prefix to export (e.g. `training/` or `training/metabolic_diabetes/2025/`). Default `training/`. */
  readonly prefix?: string;
  /**
   * Where the training file goes: a path (written to `path.partial`, renamed when complete)
   * or a stream (written to, not ended: the caller owns it).
   */
  readonly out: Writable | string;
  /** Cancels the export between objects. */
  readonly signal?: AbortSignal;
}

/** What an export did. */
export interface ExportTrainingResult {
  /** `.jsonl` objects read. */
  readonly objects: number;
  /** Lines written to the training file. */
  readonly written: number;
  /** Lines dropped because the same bytes were already written. */
  readonly duplicatesDropped: number;
  /** Lines skipped because they are not JSON or fail `trainingExampleSchema`. */
  readonly invalid: number;
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new Error("the export's output stream is already closed");
  if (out.write(line)) return;
  // Back-pressure: wait for the buffer to drain; `once` rejects if the stream errors, and a
  // close without an error must not leave the export waiting forever.
  const waiting = new AbortController();
  try {
    await Promise.race([
      once(out, "drain", { signal: waiting.signal }),
      once(out, "close", { signal: waiting.signal }).then(() => {
        throw new Error("the export's output stream closed before the export finished");
      }),
    ]);
  } finally {
    waiting.abort();
  }
}

function isValidLine(line: string): boolean {
  try {
    return trainingExampleSchema.safeParse(JSON.parse(line)).success;
  } catch {
    return false;
  }
}

async function exportInto(options: ExportTrainingOptions, out: Writable): Promise<ExportTrainingResult> {
  const prefix = normalizeTrainingPrefix(options.prefix ?? DEFAULT_TRAINING_PREFIX);
  const seen = new Set<string>();
  const request = options.signal ? { signal: options.signal } : {};
  let objects = 0;
  let written = 0;
  let duplicatesDropped = 0;
  let invalid = 0;
  for await (const info of options.store.list(options.bucket, prefix, request)) {
    options.signal?.throwIfAborted();
    if (!info.key.endsWith(".jsonl")) continue;
    const body = await options.store.get(options.bucket, info.key, request);
    objects += 1;
    for (const raw of body.toString("utf8").split("\n")) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.trim().length === 0) continue;
      const digest = createHash("sha256").update(line).digest("base64");
      if (seen.has(digest)) {
        duplicatesDropped += 1;
        continue;
      }
      seen.add(digest);
      if (!isValidLine(line)) {
        invalid += 1;
        continue;
      }
      await writeLine(out, `${line}\n`);
      written += 1;
    }
  }
  return { objects, written, duplicatesDropped, invalid };
}

/**
 * Concatenates every `.jsonl` object under a prefix, in key order, into one training file.
 * Each line is first checked against the lines already seen (an exact duplicate, by sha256,
 * is dropped) and then against `trainingExampleSchema` (a line that fails is counted as
 * invalid and skipped). Objects are listed and fetched one at a time.
 */
export async function exportTraining(options: ExportTrainingOptions): Promise<ExportTrainingResult> {
  if (typeof options.out !== "string") return exportInto(options, options.out);
  const target = options.out;
  const partial = `${target}.partial`;
  const file = createWriteStream(partial);
  try {
    const result = await exportInto(options, file);
    file.end();
    await once(file, "finish");
    await rename(partial, target);
    return result;
  } catch (error) {
    // Wait for the stream to close: destroying it before its open completes still creates the file.
    file.destroy();
    await finished(file).catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
