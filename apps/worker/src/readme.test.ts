import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CONFIG_VARIABLES } from "./config.ts";

const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");

/** Rows of the README configuration table: variable → default as written (`—` for none). */
function readmeTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    const m = /^\| `(ETL_[A-Z0-9_]+)` \| (.+?) \| .+ \|$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe("README configuration table", () => {
  test("lists exactly the variables the configuration knows, in the same order", () => {
    expect([...readmeTable().keys()]).toEqual(CONFIG_VARIABLES.map((v) => v.name));
  });

  test.each(CONFIG_VARIABLES.map((v) => [v.name, v] as const))("%s has the configured default", (name, variable) => {
    expect(readmeTable().get(name)).toBe(variable.default === undefined ? "—" : `\`${variable.default}\``);
  });
});
