// The test kit's s3rver declaration is not visible to packages that import the kit; pull it in.
/// <reference path="../../../tooling/test-kit/src/s3rver.d.ts" />
