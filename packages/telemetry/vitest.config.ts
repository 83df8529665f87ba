import { packageProject, sourceConditions } from "../../tooling/vitest.shared.ts";

// The shared "module" condition resolves @opentelemetry/* to their bundler-only ESM builds
// (extensionless imports that Node cannot load), so this project resolves without it.
const conditions = sourceConditions.filter((c) => c !== "module");
const project = packageProject(import.meta.dirname);

export default {
  ...project,
  resolve: { ...project.resolve, conditions },
  ssr: { ...project.ssr, resolve: { ...project.ssr?.resolve, conditions } },
};
