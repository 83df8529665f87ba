#!/usr/bin/env node
// Entry point of the `narrative-engine` CLI: the only place that reads process.env and installs signal handlers.
import { runCli } from "../dist/cli.js";

const controller = new AbortController();
let signals = 0;
for (const name of ["SIGTERM", "SIGINT"]) {
  process.on(name, () => {
    signals += 1;
    // A second signal means "now": skip the graceful drain.
    if (signals > 1) process.exit(130);
    controller.abort(new Error(`received ${name}`));
  });
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
