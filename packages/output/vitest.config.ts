import { packageProject } from "../../tooling/vitest.shared.ts";

const base = packageProject(import.meta.dirname);

// The shared "module" condition sends externalised @aws-sdk packages to their dist-es builds,
// whose extensionless imports Node cannot load; server-side, resolve them as Node does.
export default {
  ...base,
  ssr: { resolve: { conditions: ["@narrative-engine/source", "node", "import", "default"], externalConditions: ["@narrative-engine/source"] } },
};
