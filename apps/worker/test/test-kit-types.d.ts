// The test kit's s3rver declaration is not visible to packages that import the kit; pull it in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration has no import form
/// <reference path="../../../tooling/test-kit/src/s3rver.d.ts" />
