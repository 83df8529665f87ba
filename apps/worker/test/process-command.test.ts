import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithSamples, sampleFiles, samplesDir } from "@narrative-engine/test-kit";
import { trainingExampleSchema } from "@narrative-engine/contracts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cleanEnv, requireBuiltCli, runCli, type CliResult } from "./cli-process.ts";

requireBuiltCli();

const work = mkdtempSync(join(tmpdir(), "ne-process-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Row {
  files: number;
  records: number;
  completed: number;
  duplicates: number;
  quarantined: number;
  failed: number;
}

/** The summary table of `process`, by record type (and `total`). */
function summary(r: CliResult): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of r.stdout.split("\n")) {
    const m = /^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line.trim());
    if (!m) continue;
    const [, type, files, records, completed, duplicates, quarantined, failed] = m;
    rows.set(type!, { files: +files!, records: +records!, completed: +completed!, duplicates: +duplicates!, quarantined: +quarantined!, failed: +failed! });
  }
  return rows;
}

function jsonlLines(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith(".jsonl")) out.push(...readFileSync(full, "utf8").split("\n").filter((l) => l !== ""));
    }
  };
  walk(dir);
  return out;
}

function jsonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(".json")) out.push(join(e.parentPath, e.name));
  }
  return out;
}

describeWithSamples("process on the real samples", () => {
  const out = join(work, "samples-out");
  const state = join(work, "samples-state");
  let first: CliResult;

  beforeAll(async () => {
    first = await runCli(["process", samplesDir, "--out", out, "--state-dir", state, "--user", "sample-user"]);
  });

  test("every file goes through the pipeline and the summary counts them per record type", () => {
    expect(first.code, first.stderr).toBe(0);
    const rows = summary(first);
    const total = rows.get("total")!;
    expect(total.files).toBe(sampleFiles().length);
    expect(total.failed).toBe(0);
    expect(total.quarantined).toBe(0);
    // Some re-exports are byte-identical, so a few files may already be duplicates on the first run.
    expect(total.completed + total.duplicates).toBe(total.files);
    expect(rows.get("BloodGlucoseRecord")!.files).toBe(sampleFiles("BloodGlucoseRecord").length);
    expect(rows.get("BloodGlucoseRecord")!.records).toBeGreaterThan(1000);
    expect(first.stdout).toContain(`training examples: ${join(out, "health-data", "training/")}`);
    // The rate line: timed from the first file to the last, start-up excluded.
    const rate = /^processed (\d+) files \((\d+) records\) in (\d+\.\d\d) s: (\d+\.\d) files\/s, (\d+) records\/s$/m.exec(first.stdout);
    expect(rate, first.stdout).not.toBeNull();
    expect(Number(rate![1])).toBe(total.files);
    expect(Number(rate![2])).toBe(total.records);
    // Not a terminal: plain progress lines, no carriage returns.
    expect(first.stderr).toMatch(/\[1\/\d+\] \w+/);
    expect(first.stderr).not.toContain("\r");
  });

  test("one valid training example per completed file, without user data in the narrative", () => {
    const lines = jsonlLines(join(out, "health-data", "training"));
    expect(lines.length).toBe(summary(first).get("total")!.completed);
    for (const line of lines) {
      const example = trainingExampleSchema.parse(JSON.parse(line));
      expect(example.metadata.user_id).toBe("sample-user");
      expect(example.output).not.toContain("sample-user");
    }
  });

  test("a re-run over the same files reports every one as a duplicate and writes nothing new", async () => {
    const before = jsonlLines(join(out, "health-data", "training")).sort();
    const again = await runCli(["process", samplesDir, "--out", out, "--state-dir", state, "--user", "sample-user"]);
    expect(again.code, again.stderr).toBe(0);
    const total = summary(again).get("total")!;
    expect(total.duplicates).toBe(sampleFiles().length);
    expect(total.completed).toBe(0);
    expect(jsonlLines(join(out, "health-data", "training")).sort()).toEqual(before);
  });

  test("another user id gives other idempotency keys, so the files are processed again", async () => {
    const file = sampleFiles("StepsRecord")[0]!.path;
    const r = await runCli(["process", file, "--out", out, "--state-dir", state, "--user", "someone-else"]);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r).get("StepsRecord")).toMatchObject({ files: 1, completed: 1, duplicates: 0 });
  });

  test("export of the local output writes one line per example and drops duplicates", async () => {
    const file = join(work, "samples.jsonl");
    const r = await runCli(["export", "--from-dir", out, "--out", file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    expect(r.stdout).toMatch(new RegExp(`written ${lines.length}, dropped \\d+ duplicate`));
  });
});

describe("process on generated data", () => {
  const data = join(work, "generated");
  const out = join(work, "generated-out");
  const state = join(work, "generated-state");

  beforeAll(async () => {
    const g = await runCli(["generate", "--users", "2", "--days", "2", "--seed", "process-test", "--out", data]);
    expect(g.code, g.stderr).toBe(0);
  });

  test("all six record types complete; the re-run is all duplicates", async () => {
    const r = await runCli(["process", data, "--out", out, "--state-dir", state]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const rows = summary(r);
    for (const type of ["BloodGlucoseRecord", "HeartRateRecord", "SleepSessionRecord", "StepsRecord", "ActiveCaloriesBurnedRecord", "HeartRateVariabilityRmssdRecord"]) {
      expect(rows.get(type), type).toMatchObject({ files: 2, completed: 2, failed: 0, quarantined: 0 });
    }
    const again = await runCli(["process", data, "--out", out, "--state-dir", state]);
    expect(summary(again).get("total")).toMatchObject({ files: 12, duplicates: 12, completed: 0 });
  });

  test("a file whose name does not say its record type is typed from its schema", async () => {
    const dir = join(work, "unnamed");
    mkdirSync(dir, { recursive: true });
    const steps = readdirSync(join(data, "synthetic-user-002")).find((f) => f.startsWith("StepsRecord_"))!;
    copyFileSync(join(data, "synthetic-user-002", steps), join(dir, "export.avro"));
    const r = await runCli(["process", dir, "--out", join(work, "unnamed-out"), "--state-dir", join(work, "unnamed-state")]);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r).get("StepsRecord")).toMatchObject({ files: 1, completed: 1 });
  });

  test("ETL_MAX_RECORDS_PER_FILE: a file over the limit is quarantined with the limit in its sidecar", async () => {
    const dir = join(work, "over-limit");
    mkdirSync(dir, { recursive: true });
    const glucose = readdirSync(join(data, "synthetic-user-001")).find((f) => f.startsWith("BloodGlucoseRecord_"))!;
    copyFileSync(join(data, "synthetic-user-001", glucose), join(dir, glucose));
    const limitOut = join(work, "over-limit-out");
    const r = await runCli(["process", dir, "--out", limitOut, "--state-dir", join(work, "over-limit-state")], {
      env: cleanEnv({ ETL_MAX_RECORDS_PER_FILE: "50" }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r).get("total")).toMatchObject({ files: 1, completed: 0, quarantined: 1, failed: 0 });
    const sidecars = jsonFilesUnder(join(limitOut, "health-data", "quarantine"));
    expect(sidecars.length).toBe(1);
    expect(readFileSync(sidecars[0]!, "utf8")).toMatch(/limit of 50/);
    // The same file under the default limit completes.
    const ok = await runCli(["process", dir, "--out", join(work, "under-limit-out"), "--state-dir", join(work, "under-limit-state")]);
    expect(summary(ok).get("total")).toMatchObject({ files: 1, completed: 1, quarantined: 0 });
  });

  test("a corrupt export is quarantined with a sidecar; a non-export fails with exit code 1", async () => {
    const bad = join(work, "bad");
    mkdirSync(bad, { recursive: true });
    const glucose = readdirSync(join(data, "synthetic-user-001")).find((f) => f.startsWith("BloodGlucoseRecord_"))!;
    const bytes = readFileSync(join(data, "synthetic-user-001", glucose));
    // Named as glucose but holding steps: the record type of the file does not match.
    const steps = readdirSync(join(data, "synthetic-user-001")).find((f) => f.startsWith("StepsRecord_"))!;
    copyFileSync(join(data, "synthetic-user-001", steps), join(bad, "BloodGlucoseRecord_1758000000000.avro"));
    writeFileSync(join(bad, "HeartRateRecord_1758000000001.avro"), bytes.subarray(0, 64));
    writeFileSync(join(bad, "notes.avro"), "not avro at all");
    const r = await runCli(["process", bad, "--out", join(work, "bad-out"), "--state-dir", join(work, "bad-state")]);
    expect(r.code).toBe(1);
    const rows = summary(r);
    expect(rows.get("total")).toMatchObject({ files: 3, completed: 0 });
    expect(rows.get("total")!.quarantined).toBe(2);
    expect(rows.get("unknown")).toMatchObject({ files: 1, failed: 1 });
    expect(r.stderr).toContain("notes.avro: not a Health Connect export");
    expect(r.stdout).toContain(`quarantined files: ${join(work, "bad-out", "health-data", "quarantine/")}`);
  });
});
