import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, CONFIG_FIELDS, ConfigError, configTable, loadConfig, queueMode, storeMode } from '../../src/config/index.ts';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded store and the in-process queue', () => {
    const config = loadConfig({ env: { PATH: '/usr/bin', HOME: '/root' } });
    expect(config).toEqual(CONFIG_DEFAULTS);
    expect(storeMode(config)).toBe('embedded');
    expect(queueMode(config)).toBe('in-process');
  });

  it('reads the environment; flags win over it', () => {
    const config = loadConfig({
      env: {
        MONGODB_URL: 'mongodb://db1:27017,db2:27017/ion?replicaSet=rs0',
        REDIS_URL: 'redis://queue:6379/2',
        META_DIR: '/app/meta',
        RECALC_BATCH_SIZE: '250',
        RECALC_PRE_IMAGES: 'yes',
        RECALC_SCHEDULES: '0 3 * * * => Office, Letter; */15 * * * * => Parcel',
      },
      options: { batchSize: '500', metaDir: undefined, embeddedDb: 'x.db' },
    });
    expect(config).toMatchObject({
      mongodbUrl: 'mongodb://db1:27017,db2:27017/ion?replicaSet=rs0',
      mongodbDb: 'ion',
      redisUrl: 'redis://queue:6379/2',
      cacheRedisUrl: 'redis://queue:6379/2',
      metaDir: '/app/meta',
      embeddedDb: 'x.db',
      batchSize: 500,
      preImages: true,
      schedules: [
        { name: 's1', cron: '0 3 * * *', classes: ['Office', 'Letter'] },
        { name: 's2', cron: '*/15 * * * *', classes: ['Parcel'] },
      ],
    });
    expect(storeMode(config)).toBe('mongodb');
    expect(queueMode(config)).toBe('bullmq');
  });

  it('reads JSON schedules with names and time zones, and repeated flags', () => {
    const json = loadConfig({ env: { RECALC_SCHEDULES: '[{"name":"nightly","cron":"0 3 * * *","classes":["A"],"tz":"Europe/Moscow"}]' } });
    expect(json.schedules).toEqual([{ name: 'nightly', cron: '0 3 * * *', classes: ['A'], tz: 'Europe/Moscow' }]);
    const flags = loadConfig({ options: { schedules: ['0 3 * * * => A', '0 4 * * * => B@ns'] } });
    expect(flags.schedules.map((s) => [s.name, s.classes])).toEqual([['s1', ['A']], ['s2', ['B@ns']]]);
  });

  it('rejects unknown option keys and unknown RECALC_ variables', () => {
    const problems = problemsOf(() => loadConfig({ env: { RECALC_BATCHSIZE: '10', OTHER_TOOL_SETTING: 'x' }, options: { concurency: 3 } }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/unknown option "concurency"/);
    expect(problems[1]).toBe('unknown variable RECALC_BATCHSIZE');
  });

  it('reports every bad value in one message, naming where it came from', () => {
    let error: unknown;
    try {
      loadConfig({
        env: { REDIS_URL: 'http://queue', RECALC_CONCURRENCY: 'four', RECALC_LOG_LEVEL: 'loud' },
        options: { batchSize: 0, schedules: '61 * * * * => A' },
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toEqual([
      expect.stringMatching(/^REDIS_URL: not a Redis URL/),
      expect.stringMatching(/^RECALC_CONCURRENCY: expected a whole number, got "four"/),
      expect.stringMatching(/^--batch-size: must be between 1 and 10000, got 0/),
      expect.stringMatching(/^--schedule: schedule "s1": invalid cron "61 \* \* \* \*": .*59/),
      expect.stringMatching(/^RECALC_LOG_LEVEL: unknown log level "loud"/),
    ]);
    expect(message.split('\n')[0]).toBe('invalid configuration:');
  });

  it('rejects invalid cron patterns, unknown time zones and empty class lists', () => {
    expect(problemsOf(() => loadConfig({ options: { schedules: '0 3 * * => A' } }))[0]).toMatch(/expected 5 or 6 fields/);
    expect(problemsOf(() => loadConfig({ options: { schedules: [{ cron: '0 3 * * *', classes: ['A'], tz: 'Mars/Base' }] } }))[0]).toMatch(/unknown time zone/);
    expect(problemsOf(() => loadConfig({ options: { schedules: '0 3 * * * =>' } }))[0]).toMatch(/names no class/);
    expect(problemsOf(() => loadConfig({ options: { schedules: 'every night' } }))[0]).toMatch(/is not "<cron> => <Class>/);
    expect(problemsOf(() => loadConfig({ env: { RECALC_SCHEDULES: '[{"cron":"0 3 * * *","classes":["A"],"when":1}]' } }))[0]).toMatch(/unknown key when/);
  });

  it('chooses the BullMQ job layout', () => {
    expect(loadConfig({ env: { RECALC_QUEUE_JOBS: 'batched' } }).queueJobs).toBe('batched');
    expect(problemsOf(() => loadConfig({ options: { queueJobs: 'bulk' } }))).toEqual(['--queue-jobs: expected per-object or batched, got "bulk"']);
  });

  it('reads the lock and stall timings, defaulting to BullMQ\'s 30 s and 15 s', () => {
    expect(loadConfig({ env: {} })).toMatchObject({ lockDurationMs: 30_000, stalledIntervalMs: 15_000 });
    const config = loadConfig({ env: { RECALC_LOCK_DURATION_MS: '60000', RECALC_STALLED_INTERVAL_MS: '20000' }, options: { stalledIntervalMs: '5000' } });
    expect(config).toMatchObject({ lockDurationMs: 60_000, stalledIntervalMs: 5000 });
    expect(problemsOf(() => loadConfig({ env: { RECALC_LOCK_DURATION_MS: '999', RECALC_STALLED_INTERVAL_MS: '1h' } }))).toEqual([
      'RECALC_LOCK_DURATION_MS: must be between 1000 and 3600000, got 999',
      'RECALC_STALLED_INTERVAL_MS: expected a whole number, got "1h"',
    ]);
    expect(problemsOf(() => loadConfig({ options: { lockDurationMs: 3_600_001, stalledIntervalMs: 499 } }))).toEqual([
      '--lock-duration-ms: must be between 1000 and 3600000, got 3600001',
      '--stalled-interval-ms: must be between 500 and 3600000, got 499',
    ]);
  });

  it('needs a database name for MongoDB', () => {
    expect(problemsOf(() => loadConfig({ env: { MONGODB_URL: 'mongodb://localhost:27017' } }))).toEqual([
      'MONGODB_DB is required: the MongoDB URL names no database',
    ]);
    expect(loadConfig({ env: { MONGODB_URL: 'mongodb://localhost:27017', MONGODB_DB: 'ion' } }).mongodbDb).toBe('ion');
  });

  it('documents every field in the table', () => {
    const table = configTable();
    for (const field of CONFIG_FIELDS) expect(table).toContain(`\`${field.env}\``);
    expect(Object.keys(CONFIG_DEFAULTS).sort()).toEqual(CONFIG_FIELDS.map((f) => f.key).sort());
  });
});
