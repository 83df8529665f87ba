import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/test-kit"],
    // Most suites wait on RabbitMQ, Redis, S3 or child processes; a few more workers than the
    // two cores overlap those waits.
    maxWorkers: 3,
  },
});
