import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addConfigOptions, configOptionsFrom, loadConfig } from '../../src/config/index.ts';

function parse(args: string[], only?: Parameters<typeof addConfigOptions>[1]) {
  const command = addConfigOptions(new Command('worker').exitOverride().configureOutput({ writeErr: () => undefined }).option('--once'), only);
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('config flags', () => {
  it('maps the flags to configuration keys, leaving other options out', () => {
    const opts = parse(['--meta', 'app/meta', '--db', 'data.db', '--batch-size', '200', '--schedule', '0 3 * * * => A', '--schedule', '0 4 * * * => B', '--pre-images', '--once']);
    const options = configOptionsFrom(opts);
    expect(options).toEqual({
      metaDir: 'app/meta',
      embeddedDb: 'data.db',
      batchSize: '200',
      schedules: ['0 3 * * * => A', '0 4 * * * => B'],
      preImages: true,
    });
    const config = loadConfig({ env: { RECALC_BATCH_SIZE: '50' }, options });
    expect(config.batchSize).toBe(200);
    expect(config.schedules.map((s) => s.classes)).toEqual([['A'], ['B']]);
    expect(config.preImages).toBe(true);
  });

  it('takes the lock and stall timings as flags', () => {
    const options = configOptionsFrom(parse(['--lock-duration-ms', '2000', '--stalled-interval-ms', '1000']));
    expect(options).toEqual({ lockDurationMs: '2000', stalledIntervalMs: '1000' });
    expect(loadConfig({ env: { RECALC_LOCK_DURATION_MS: '90000' }, options })).toMatchObject({ lockDurationMs: 2000, stalledIntervalMs: 1000 });
  });

  it('declares only the requested flags', () => {
    expect(() => parse(['--db', 'x.db'], ['embeddedDb'])).not.toThrow();
    expect(() => parse(['--batch-size', '3'], ['embeddedDb'])).toThrow(/unknown option '--batch-size'/);
  });

  it('passes explicit boolean text through for validation', () => {
    expect(loadConfig({ options: configOptionsFrom(parse(['--pre-images', 'no'])) }).preImages).toBe(false);
    expect(() => loadConfig({ options: configOptionsFrom(parse(['--pre-images', 'maybe'])) })).toThrow(/--pre-images: expected true or false/);
  });
});
