import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const packagesDir = resolve(import.meta.dirname, "../../..");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.includes(".test.")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds (transpile only, `tsc --noCheck`) the named workspace packages whose `dist` is missing
 * or older than their sources, so a child process can run the current code. `pnpm test` builds
 * everything first, so there this is a no-op.
 */
export function ensureBuilt(packages: readonly string[]): void {
  for (const name of packages) {
    const dir = join(packagesDir, name);
    const built = join(dir, "dist", "index.js");
    if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(dir, "src"))) continue;
    execFileSync("pnpm", ["exec", "tsc", "-p", "tsconfig.build.json", "--noCheck"], { cwd: dir, stdio: "inherit" });
  }
}
