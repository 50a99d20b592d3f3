/**
 * The worker's HTTP surface: `/health`, Prometheus `/metrics`, `GET /status`, the Bull Board
 * dashboard at `/queues` (BullMQ mode) and `POST /refresh`. Each part is optional so the composition root
 * mounts what its mode has.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { silentLogger } from '../log/logger.ts';
import { dashboardRouter } from './dashboard.ts';
import { runHealthChecks, type HealthChecks } from './health.ts';
import type { WorkerMetrics } from './metrics.ts';
import { refreshRouter, type RefreshRouteOptions } from './refresh-route.ts';
import { statusRouter, type StatusRouteOptions } from './status-route.ts';

/** The path of the dashboard. */
export const DASHBOARD_PATH = '/queues';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Checks behind `/health` (none: always ok). */
  readonly health?: HealthChecks;
  /** Served at `/metrics`. */
  readonly metrics?: WorkerMetrics;
  /** BullMQ queues shown by the dashboard at `/queues` (none: no dashboard). */
  readonly dashboardQueues?: readonly Queue[];
  /** Enables `POST /refresh`. */
  readonly refresh?: RefreshRouteOptions;
  /** Enables `GET /status` (what `recalc status` prints). */
  readonly status?: StatusRouteOptions;
  readonly logger?: Logger;
}

/** Builds the Express application. */
export function createHttpApp(options: HttpAppOptions): Express {
  const log = options.logger ?? silentLogger;
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_request, response) => {
    const report = await runHealthChecks(options.health ?? {});
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  if (options.metrics) {
    const { registry } = options.metrics;
    app.get('/metrics', async (_request, response) => {
      response.set('Content-Type', registry.contentType).send(await registry.metrics());
    });
  }
  if (options.dashboardQueues && options.dashboardQueues.length > 0) {
    app.use(DASHBOARD_PATH, dashboardRouter(options.dashboardQueues, DASHBOARD_PATH));
  }
  if (options.status) app.use(statusRouter(options.status));
  if (options.refresh) app.use(express.json({ limit: '1mb' }), refreshRouter(options.refresh));
  app.use((error: Error & { status?: number; type?: string }, _request: Request, response: Response, _next: NextFunction) => {
    // Body-parser errors (bad JSON, too large) carry a 4xx status; anything else is ours.
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error }, 'HTTP request failed');
    response.status(status).json({ error: status === 500 ? 'internal error' : error.message });
  });
  return app;
}

/** A listening server. */
export interface RunningHttpServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/** Starts listening (`port` 0: a free port). */
export async function startHttpServer(app: Express, options: { readonly host: string; readonly port: number }): Promise<RunningHttpServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, options.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
