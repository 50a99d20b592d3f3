/**
 * Talking to a running worker over its HTTP server (`GET /status`, `POST /refresh`): what
 * `recalc status` and `recalc refresh` use when the queue is the worker's in-process one (no
 * Redis to reach it through), or when `--url` names a worker. Every failure is a {@link CliError}
 * naming the URL.
 */
import type { WorkerConfig } from '../config/index.ts';
import type { StatusReport } from '../http/status-route.ts';
import { isIdle } from '../queue/idle.ts';
import { CliError } from './io.ts';

/** How long one request may take before the worker is called unreachable. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The URL of the worker's HTTP server as a worker started with the same environment listens:
 * `http://RECALC_HTTP_HOST:RECALC_HTTP_PORT` (a wildcard address is reached on loopback).
 */
export function defaultWorkerUrl(config: Pick<WorkerConfig, 'httpHost' | 'httpPort'>): string {
  if (config.httpPort === 0) throw new CliError("the worker's HTTP server is off (RECALC_HTTP_PORT=0): give --url, or REDIS_URL to reach its queue", 1);
  const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost === '::' ? '::1' : config.httpHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}`;
}

/** Checks and normalises a `--url` value (no trailing slash). */
export function parseWorkerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`--url: not a URL: ${JSON.stringify(text)} (e.g. http://127.0.0.1:9464)`, 1);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--url: expected http:// or https://, got ${JSON.stringify(text)}`, 1);
  return url.href.replace(/\/+$/, '');
}

/** One request to the worker; the answer's JSON body, whatever its status. */
async function request(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new CliError(`cannot reach the worker at ${url.split('?')[0]}: ${why} (is it running, with its HTTP server on that address?)`, 1);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    if (response.status === 404) throw new CliError(`${url} answered 404: not a recalc worker, or one without ${new URL(url).pathname}`, 1);
    throw new CliError(`${url} answered ${response.status} with something other than JSON: ${text.slice(0, 200)}`, 1);
  }
}

function errorOf(body: unknown): string {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : JSON.stringify(body);
}

/** `GET /status` of the worker at `base`. */
export async function fetchWorkerStatus(base: string, failures = 10): Promise<StatusReport> {
  const url = `${base}/status`;
  const { status, body } = await request(`${url}?failures=${failures}`);
  if (status !== 200) throw new CliError(`${url} answered ${status}: ${errorOf(body)}`, 1);
  return body as StatusReport;
}

/**
 * Polls `GET /status` until every change made before the call is processed: the feed's position
 * has reached the head as it was at the first answer, and the queue is idle, twice in a row (the
 * rule of `waitCaughtUp`, read remotely). Resolves the last status and whether it got there
 * before `timeoutMs`.
 */
export async function waitWorkerCaughtUp(base: string, options: { readonly timeoutMs: number; readonly pollMs?: number }): Promise<{ idle: boolean; status: StatusReport }> {
  const deadline = Date.now() + options.timeoutMs;
  let status = await fetchWorkerStatus(base, 0);
  const target = status.feed.head;
  let idleInARow = 0;
  for (;;) {
    const { feed, queue } = status;
    const fed = target === null || (feed.position !== null && feed.position >= target);
    idleInARow = fed && (queue === null || isIdle(queue)) ? idleInARow + 1 : 0;
    if (idleInARow >= 2) return { idle: true, status };
    if (Date.now() >= deadline) return { idle: false, status };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    status = await fetchWorkerStatus(base, 0);
  }
}

/** `POST /refresh` to the worker at `base`: the objects by key, or the whole class without keys. Returns how many were queued (`'all'` for a class). */
export async function postRefresh(base: string, className: string, keys?: readonly string[]): Promise<number | 'all'> {
  const url = `${base}/refresh`;
  const { status, body } = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(keys && keys.length > 0 ? { class: className, keys } : { class: className }),
  });
  if (status === 400) throw new CliError(errorOf(body), 1);
  if (status !== 202) throw new CliError(`${url} answered ${status}: ${errorOf(body)}`, 1);
  return (body as { queued: number | 'all' }).queued;
}
