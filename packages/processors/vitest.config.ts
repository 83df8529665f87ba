import { packageProject } from "../../tooling/vitest.shared.ts";

// examples/ holds processors written only against the published surface; their tests run here too.
export default packageProject(import.meta.dirname, {
  include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
});
