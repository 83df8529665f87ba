import { describe, expect, test } from "vitest";
import { ProgressReporter } from "./progress-reporter.ts";
import { textTable } from "./text-table.ts";

function sink(isTTY: boolean): { text: () => string; write: (s: string) => void; isTTY: boolean; columns: number } {
  let out = "";
  return { text: () => out, write: (s) => (out += s), isTTY, columns: 80 };
}

describe("ProgressReporter", () => {
  test("plain lines when not on a terminal", () => {
    const out = sink(false);
    const p = new ProgressReporter(out, 2);
    p.tick("a.avro", "completed");
    p.tick("b.avro", "duplicate");
    p.finish();
    expect(out.text()).toBe("[1/2] completed   a.avro\n[2/2] duplicate   b.avro\n");
  });

  test("a redrawn bar on a terminal, ending complete", () => {
    const out = sink(true);
    const p = new ProgressReporter(out, 3);
    for (const f of ["a", "b", "c"]) p.tick(f, "completed");
    p.finish();
    expect(out.text()).toContain("\r[");
    expect(out.text()).toMatch(/\[#+\] 100% 3\/3 files\n$/);
    expect(out.text()).not.toContain("a.avro");
  });
});

describe("textTable", () => {
  test("aligns text left and numbers right under a rule", () => {
    expect(textTable([["type", "files"], ["Steps", 5], ["HeartRate", 12]])).toBe("type       files\n---------  -----\nSteps          5\nHeartRate     12");
  });
});
