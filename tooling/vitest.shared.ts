import { defineProject, type UserWorkspaceConfig } from "vitest/config";

/**
 * Conditions that make workspace packages resolve to their TypeScript sources in tests; the rest
 * resolve as Node does (no "module": it sends packages such as @aws-sdk to bundler-only builds).
 */
export const sourceConditions = ["@narrative-engine/source", "node", "import", "default"];

/** The vitest project every package uses: `export default packageProject(import.meta.dirname)`. */
export function packageProject(dir: string, overrides: UserWorkspaceConfig["test"] = {}): UserWorkspaceConfig {
  const name = dir.split("/").slice(-1)[0] ?? "package";
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@narrative-engine/source"] } },
    test: {
      name,
      root: dir,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      environment: "node",
      // s3rver (the test S3 server) encrypts ListObjectsV2 continuation tokens with DES, which
      // OpenSSL 3 only offers through its legacy provider: without it paginated listings fail.
      execArgv: ["--openssl-legacy-provider"],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
