import { packageProject } from "../../tooling/vitest.shared.ts";

// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through
// its legacy provider: without it every truncated listing (the pagination test) answers 500.
export default packageProject(import.meta.dirname, { execArgv: ["--openssl-legacy-provider"] });
