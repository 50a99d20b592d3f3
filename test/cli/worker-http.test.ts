/** How `recalc status` / `recalc refresh` find a worker over HTTP, and what they say when they cannot. */
import { describe, expect, it } from 'vitest';
import { defaultWorkerUrl, parseWorkerUrl } from '../../src/cli/worker-http.ts';
import { CliError } from '../../src/cli/io.ts';
import { freePort } from '../worker/helpers.ts';
import { runCli } from './helpers.ts';

describe('the worker URL', () => {
  it('defaults to where a worker with the same environment listens', () => {
    expect(defaultWorkerUrl({ httpHost: '127.0.0.1', httpPort: 9464 })).toBe('http://127.0.0.1:9464');
    expect(defaultWorkerUrl({ httpHost: '0.0.0.0', httpPort: 8080 })).toBe('http://127.0.0.1:8080');
    expect(defaultWorkerUrl({ httpHost: '::', httpPort: 8080 })).toBe('http://[::1]:8080');
    expect(defaultWorkerUrl({ httpHost: 'worker.local', httpPort: 80 })).toBe('http://worker.local:80');
    expect(() => defaultWorkerUrl({ httpHost: '127.0.0.1', httpPort: 0 })).toThrow(/HTTP server is off \(RECALC_HTTP_PORT=0\)/);
  });

  it('checks --url', () => {
    expect(parseWorkerUrl('http://127.0.0.1:9464/')).toBe('http://127.0.0.1:9464');
    expect(parseWorkerUrl('https://ops.example/recalc')).toBe('https://ops.example/recalc');
    expect(() => parseWorkerUrl('127.0.0.1:9464')).toThrow(CliError);
    expect(() => parseWorkerUrl('redis://127.0.0.1:6379')).toThrow(/expected http:\/\/ or https:\/\//);
  });
});

describe('status and refresh without a worker', () => {
  it('name the URL that did not answer', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const status = await runCli('status', '--url', url, '--wait-idle');
    expect(status.code).toBe(1);
    expect(status.err).toMatch(new RegExp(`^cannot reach the worker at ${url}/status: ECONNREFUSED`));
    const refresh = await runCli('refresh', '--url', url, '--class', 'order@demo', '--key', 'ORD-1');
    expect(refresh.code).toBe(1);
    expect(refresh.err).toMatch(new RegExp(`^cannot reach the worker at ${url}/refresh: ECONNREFUSED`));
  });

  it('refuse --url with --redis-url', async () => {
    for (const args of [['status', '--db', 'x.db'], ['refresh', '--class', 'order@demo']]) {
      const run = await runCli(...args, '--url', 'http://127.0.0.1:1', '--redis-url', 'redis://127.0.0.1:6379');
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/use --url \(the worker over HTTP\) or --redis-url \(its queue in Redis\), not both/);
    }
  });
});
