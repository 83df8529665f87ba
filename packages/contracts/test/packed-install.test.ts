import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// A processor team's view: install the packed tarball (and zod) into a project outside the
// workspace, write a processor against the published surface only, and type-check it.
const packageDir = resolve(import.meta.dirname, "..");
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

let work: string;
let project: string;

const processorSource = (recordType: string) => `
import {
  DataQualityError,
  processorFor,
  type ClinicalProcessor,
  type HeartRateRecord,
  type ProcessingResult,
  type ProcessorMap,
} from "@narrative-engine/contracts";

export const meanHeartRate: ClinicalProcessor<"HeartRateRecord"> = {
  recordType: "HeartRateRecord",
  version: "0.1.0",
  async initialize() {},
  async processWithClinicalInsights(records: readonly HeartRateRecord[], _message, validation): Promise<ProcessingResult> {
    const bpm = records.flatMap((r) => r.samples.map((s) => s.beatsPerMinute));
    if (bpm.length === 0) throw new DataQualityError("no heart-rate samples");
    const mean = Math.round((bpm.reduce((a, b) => a + b, 0) / bpm.length) * 10) / 10;
    return {
      success: true,
      narrative: \`Mean heart rate was \${mean} bpm.\`,
      processingTimeSeconds: 0,
      recordsProcessed: records.length,
      qualityScore: validation.qualityScore,
      clinicalInsights: { mean_bpm: mean },
    };
  },
  async cleanup() {},
};

export const registry: ProcessorMap = { ${recordType}: meanHeartRate };
export const checked = processorFor("${recordType}", meanHeartRate);
`;

function typecheck(): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [tsc, "-p", project, "--pretty", "false"], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe("the packed contracts tarball in a project outside the workspace", { timeout: 120_000 }, () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "ne-pack-"));
    execFileSync("pnpm", ["run", "build"], { cwd: packageDir, stdio: "ignore" });
    execFileSync("pnpm", ["pack", "--pack-destination", work], { cwd: packageDir, stdio: "ignore" });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error("pnpm pack produced no tarball");
    project = join(work, "team-processor");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "team-processor", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, tarball), "zod@^4.1.0"], {
      cwd: project,
      stdio: "ignore",
    });
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, skipLibCheck: false, types: [] },
        include: ["processor.ts"],
      }),
    );
  }, 180_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  test("the tarball holds the built entry point, the API report and the README, not the sources", () => {
    const files = execFileSync("tar", ["-tzf", join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!)], { encoding: "utf8" });
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/etc/contracts.api.md");
    expect(files).toContain("package/README.md");
    expect(files).not.toContain("package/src/");
  });

  test("a processor for HeartRateRecord type-checks against the published surface", () => {
    writeFileSync(join(project, "processor.ts"), processorSource("HeartRateRecord"));
    const result = typecheck();
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  test("registering it for the wrong record type is a type error", () => {
    writeFileSync(join(project, "processor.ts"), processorSource("SleepSessionRecord"));
    const result = typecheck();
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/processor\.ts\(\d+,\d+\): error TS2322/);
    expect(result.output).toMatch(/processor\.ts\(\d+,\d+\): error TS2345/);
  });

  test("the runtime entry point loads in plain Node", () => {
    writeFileSync(
      join(project, "check.mjs"),
      'import { parseRecordType } from "@narrative-engine/contracts"; console.log(parseRecordType("AvroStepsRecord"));',
    );
    expect(execFileSync(process.execPath, ["check.mjs"], { cwd: project, encoding: "utf8" }).trim()).toBe("StepsRecord");
  });
});
