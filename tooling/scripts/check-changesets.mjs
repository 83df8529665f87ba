#!/usr/bin/env node
// Release-flow check: every public package whose sources changed since the last
// `changeset version` run must be named by a pending changeset (.changeset/*.md).
// The last version run is the last commit that consumed (deleted) changeset files; before the
// first release it is the root commit.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const git = (...args) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();

let base;
try {
  base = git("log", "-1", "--format=%H", "--diff-filter=D", "--", ".changeset/*.md");
  if (!base) base = git("rev-list", "--max-parents=0", "HEAD").split("\n").pop();
} catch {
  console.log("not a git checkout with history; changeset check skipped");
  process.exit(0);
}

const pending = new Set();
for (const file of readdirSync(join(repoRoot, ".changeset"))) {
  if (!file.endsWith(".md") || file === "README.md") continue;
  const text = readFileSync(join(repoRoot, ".changeset", file), "utf8");
  const front = text.split(/^---$/m)[1] ?? "";
  for (const m of front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:/gm)) pending.add(m[1]);
}

const changed = new Set(git("diff", "--name-only", `${base}..HEAD`, "--", "packages").split("\n").filter(Boolean));
const missing = [];
for (const dir of readdirSync(join(repoRoot, "packages"))) {
  const pkgFile = join(repoRoot, "packages", dir, "package.json");
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
  if (pkg.private) continue;
  const touched = [...changed].some((f) => f.startsWith(`packages/${dir}/src/`) || f === `packages/${dir}/package.json`);
  if (touched && !pending.has(pkg.name)) missing.push(pkg.name);
}
if (missing.length > 0) {
  console.error(`these packages changed since the last release but no pending changeset names them: ${missing.join(", ")}`);
  console.error("add one with `pnpm changeset`");
  process.exit(1);
}
console.log(`changesets cover every changed public package (since ${base.slice(0, 12)})`);
