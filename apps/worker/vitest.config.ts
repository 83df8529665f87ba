import { packageProject } from "../../tooling/vitest.shared.ts";

// The CLI tests run the built `narrative-engine` binary; the global setup builds it once (turbo-cached).
export default packageProject(import.meta.dirname, { globalSetup: ["./test/build-cli.ts"] });
