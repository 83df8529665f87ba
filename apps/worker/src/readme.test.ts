import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CONFIG_VARIABLES } from "./config.ts";

// The worker's README and the top-level README both carry the configuration table.
const readmes = [join(import.meta.dirname, "..", "README.md"), join(import.meta.dirname, "..", "..", "..", "README.md")];

/** Rows of a README's configuration table: variable → default as written (`—` for none). */
function readmeTable(readme: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    const m = /^\| `(ETL_[A-Z0-9_]+)` \| (.+?) \| .+ \|$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe.each(readmes)("configuration table of %s", (path) => {
  const table = readmeTable(readFileSync(path, "utf8"));

  test("lists exactly the variables the configuration knows, in the same order", () => {
    expect([...table.keys()]).toEqual(CONFIG_VARIABLES.map((v) => v.name));
  });

  test.each(CONFIG_VARIABLES.map((v) => [v.name, v] as const))("%s has the configured default", (name, variable) => {
    expect(table.get(name)).toBe(variable.default === undefined ? "—" : `\`${variable.default}\``);
  });
});
