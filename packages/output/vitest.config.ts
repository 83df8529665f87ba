import { packageProject } from "../../tooling/vitest.shared.ts";

// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through
// its legacy provider; the S3 tests list in small pages so listings cross page boundaries.
const base = packageProject(import.meta.dirname, { execArgv: ["--openssl-legacy-provider"] });

// The shared "module" condition sends externalised @aws-sdk packages to their dist-es builds,
// whose extensionless imports Node cannot load; server-side, resolve them as Node does.
export default {
  ...base,
  ssr: { resolve: { conditions: ["@narrative-engine/source", "node", "import", "default"], externalConditions: ["@narrative-engine/source"] } },
};
