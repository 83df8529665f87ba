import { readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { decodeHealthConnect } from "@narrative-engine/avro";
import { parseRecordType, type RecordType } from "@narrative-engine/contracts";
import { UsageError } from "../cli-context.ts";

/** Every `.avro` file named by `paths` (files as given, folders walked recursively), sorted, without repeats. */
export async function collectAvroFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith(".avro")) found.add(full);
    }
  };
  for (const given of paths) {
    const path = resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) throw new UsageError(`no such file or folder: ${given}`);
    if (info.isDirectory()) await walk(path);
    else found.add(path);
  }
  return [...found].sort();
}

/** The record type a file name announces (`BloodGlucoseRecord_1758407139312.avro`), if any. */
export function recordTypeFromFileName(path: string): RecordType | undefined {
  const stem = basename(path).replace(/\.avro$/, "");
  const prefix = stem.split("_")[0] ?? "";
  return parseRecordType(prefix);
}

/** The export timestamp in a file name (`…_1758407139312.avro`), if any. */
export function timestampFromFileName(path: string): number | undefined {
  const match = /_(\d{12,14})\.avro$/.exec(basename(path));
  return match ? Number(match[1]) : undefined;
}

/** The record type of a local file: from its name, else from the schema in its header. */
export function recordTypeOfFile(path: string, bytes: Uint8Array): RecordType | undefined {
  const fromName = recordTypeFromFileName(path);
  if (fromName !== undefined) return fromName;
  try {
    return decodeHealthConnect(bytes).recordType;
  } catch {
    return undefined;
  }
}
