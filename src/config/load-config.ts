/**
 * Reads the configuration from flags (or a programmatic options object) over environment
 * variables over defaults, validates every field, and throws one {@link ConfigError} listing all
 * problems. Unknown option keys are rejected, and so are unknown `RECALC_*` variables (a typo in
 * a variable name would otherwise silently fall back to the default).
 */
import type { RefreshSchedule } from '../queue/recompute-queue.ts';
import { ConfigError } from './config-error.ts';
import { CONFIG_DEFAULTS, CONFIG_FIELDS, type FieldSpec } from './fields.ts';
import { parseSchedules } from './parse-schedules.ts';
import { LOG_LEVELS, QUEUE_JOBS, type WorkerConfig } from './worker-config.ts';

/** Where configuration comes from. */
export interface ConfigSources {
  /** Environment variables (pass `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Flags or programmatic options, keyed by configuration key (`batchSize`, `metaDir`…). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** The prefix of this tool's own variables; unknown ones are errors. */
const OWN_PREFIX = 'RECALC_';

/** Loads and validates the configuration. @throws ConfigError */
export function loadConfig(sources: ConfigSources = {}): WorkerConfig {
  const env = sources.env ?? {};
  const options = sources.options ?? {};
  const problems: string[] = [];
  const known = new Set(CONFIG_FIELDS.map((f) => f.key as string));
  for (const key of Object.keys(options)) {
    if (!known.has(key) && options[key] !== undefined) problems.push(`unknown option ${JSON.stringify(key)} (known: ${[...known].join(', ')})`);
  }
  const knownEnv = new Set(CONFIG_FIELDS.map((f) => f.env));
  for (const name of Object.keys(env)) {
    if (name.startsWith(OWN_PREFIX) && !knownEnv.has(name)) problems.push(`unknown variable ${name}`);
  }
  const config: Record<string, unknown> = { ...CONFIG_DEFAULTS };
  for (const field of CONFIG_FIELDS) {
    const fromOption = options[field.key];
    const fromEnv = env[field.env];
    if (fromOption !== undefined) config[field.key] = readField(field, fromOption, `--${field.flag}`, problems);
    else if (fromEnv !== undefined && fromEnv.trim() !== '') config[field.key] = readField(field, fromEnv, field.env, problems);
  }
  const result = config as unknown as WorkerConfig & Record<string, unknown>;
  if (result.mongodbUrl && !result.mongodbDb) {
    const fromUrl = databaseOfUrl(result.mongodbUrl);
    if (fromUrl) config.mongodbDb = fromUrl;
    else problems.push('MONGODB_DB is required: the MongoDB URL names no database');
  }
  if (!result.cacheRedisUrl && result.redisUrl) config.cacheRedisUrl = result.redisUrl;
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config) as unknown as WorkerConfig;
}

function readField(field: FieldSpec, raw: unknown, source: string, problems: string[]): unknown {
  const fail = (why: string): unknown => {
    problems.push(`${source}: ${why}`);
    return CONFIG_DEFAULTS[field.key];
  };
  switch (field.kind) {
    case 'schedules':
      return readSchedules(raw, source, problems);
    case 'int': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(value)) return fail(`expected a whole number, got ${JSON.stringify(raw)}`);
      if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
        return fail(`must be between ${field.min} and ${field.max}, got ${value}`);
      }
      return value;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(text)) return true;
      if (['0', 'false', 'no', 'off'].includes(text)) return false;
      return fail(`expected true or false, got ${JSON.stringify(raw)}`);
    }
    default:
      break;
  }
  if (typeof raw !== 'string' || raw.trim() === '') return fail(`expected a non-empty text, got ${JSON.stringify(raw)}`);
  const text = raw.trim();
  switch (field.kind) {
    case 'mongodb-url':
      return checkUrl(text, ['mongodb:', 'mongodb+srv:']) ?? fail(`not a MongoDB URL (mongodb://host/db): ${JSON.stringify(text)}`);
    case 'redis-url':
      return checkUrl(text, ['redis:', 'rediss:']) ?? fail(`not a Redis URL (redis://host:port): ${JSON.stringify(text)}`);
    case 'log-level':
      return (LOG_LEVELS as readonly string[]).includes(text) ? text : fail(`unknown log level ${JSON.stringify(text)} (one of ${LOG_LEVELS.join(', ')})`);
    case 'queue-jobs':
      return (QUEUE_JOBS as readonly string[]).includes(text) ? text : fail(`expected ${QUEUE_JOBS.join(' or ')}, got ${JSON.stringify(text)}`);
    default:
      return text;
  }
}

function readSchedules(raw: unknown, source: string, problems: string[]): RefreshSchedule[] {
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.every((item) => typeof item === 'string')) return parseSchedules(items as string[], problems, source);
  // Already-structured schedules (programmatic options): validate them through the JSON path.
  return parseSchedules([JSON.stringify(items)], problems, source);
}

function checkUrl(text: string, protocols: readonly string[]): string | null {
  try {
    // `mongodb://a,b,c/db` (several hosts) is not a WHATWG URL; check the scheme and the rest loosely.
    const scheme = text.slice(0, text.indexOf('//'));
    if (!protocols.includes(scheme)) return null;
    if (text.includes(',')) return text.length > scheme.length + 2 ? text : null;
    return new URL(text).host !== '' ? text : null;
  } catch {
    return null;
  }
}

/** The database named in a MongoDB URL's path, if any. */
function databaseOfUrl(url: string): string | null {
  const afterHosts = url.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '');
  const name = afterHosts.replace(/^\//, '').split('?')[0] ?? '';
  return name === '' ? null : decodeURIComponent(name);
}
