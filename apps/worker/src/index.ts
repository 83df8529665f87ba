export { buildProgram, runCli } from "./cli.ts";
export { CommandFailed, EXIT_CODES, UsageError, type CliContext, type TextOutput } from "./cli-context.ts";
export {
  CONFIG_DEFAULTS,
  CONFIG_VARIABLES,
  ConfigError,
  describeConfig,
  loadConfig,
  redactUrl,
  type ConfigIssue,
  type ConfigLine,
  type ConfigVariable,
  type LoadedConfig,
  type WorkerConfig,
} from "./config.ts";
export { generateGlucoseSeries, generateSyntheticExport, syntheticUserId, type SyntheticExport } from "./generate/synthetic-health-data.ts";
export { writeSyntheticDataSet, type SyntheticDataSetOptions, type WrittenFile } from "./generate/write-synthetic-data-set.ts";
