import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, checkConnections, checkScheduleClasses, loadConfig, redact } from '../../src/config/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('checkConnections', () => {
  it('accepts the reachable Redis', async () => {
    const report = await checkConnections(loadConfig({ env: { REDIS_URL } }), { timeoutMs: 2000 });
    expect(Array.isArray(report.warnings)).toBe(true);
  });

  it('names each unreachable server and its variable in one message', async () => {
    const port = await closedPort();
    const config = loadConfig({
      env: { REDIS_URL: `redis://user:secret@127.0.0.1:${port}`, MONGODB_URL: `mongodb://127.0.0.1:${port}/ion` },
    });
    const error = await checkConnections(config, { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.includes('REDIS_URL'))).toMatch(new RegExp(`^cannot reach Redis at redis://user:\\*\\*\\*@127.0.0.1:${port} \\(REDIS_URL\\)`));
    expect(problems.find((p) => p.includes('MONGODB_URL'))).toMatch(/^cannot reach MongoDB at mongodb:\/\/127.0.0.1:\d+\/ion \(MONGODB_URL\)/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('passes a configuration with no servers', async () => {
    await expect(checkConnections(loadConfig({}))).resolves.toEqual({ warnings: [] });
  });
});

describe('checkScheduleClasses', () => {
  it('rejects a schedule naming an unknown class', () => {
    const config = loadConfig({ options: { schedules: '0 3 * * * => Office, Ghost' } });
    expect(() => checkScheduleClasses(config, new Set(['Office']))).toThrow('invalid configuration: schedule "s1": unknown class "Ghost"');
    expect(() => checkScheduleClasses(config, new Set(['Office', 'Ghost']))).not.toThrow();
  });
});

describe('redact', () => {
  it('hides passwords', () => {
    expect(redact('mongodb://app:p%40ss@db/ion')).toBe('mongodb://app:***@db/ion');
    expect(redact('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
