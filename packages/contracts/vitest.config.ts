import { packageProject } from "../../tooling/vitest.shared.ts";

export default packageProject(import.meta.dirname, {
  typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: `${import.meta.dirname}/tsconfig.json` },
});
