/** The configuration layer's public entry. */
export { LOG_LEVELS, QUEUE_JOBS, storeMode, queueMode, type LogLevel, type QueueJobs, type WorkerConfig } from './worker-config.ts';
export { CONFIG_FIELDS, CONFIG_DEFAULTS, configTable, type FieldSpec, type FieldKind } from './fields.ts';
export { loadConfig, type ConfigSources } from './load-config.ts';
export { ConfigError } from './config-error.ts';
export { parseSchedules, checkCron } from './parse-schedules.ts';
export { checkConnections, checkScheduleClasses, redact, type ConnectionReport } from './check-connections.ts';
export { addConfigOptions, configOptionsFrom } from './cli-options.ts';
