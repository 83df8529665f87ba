import { packageProject } from "../../tooling/vitest.shared.ts";

// The CLI tests run the built `narrative-engine` binary; the global setup builds it once (turbo-cached).
// Each CLI test spawns several processes: generous limits keep a loaded 2-core machine from failing them
// (there are no timing assertions).
export default packageProject(import.meta.dirname, { globalSetup: ["./test/build-cli.ts"], testTimeout: 180_000, hookTimeout: 240_000 });
