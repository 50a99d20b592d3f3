/** The HTTP layer's public entry. */
export { createHttpApp, startHttpServer, DASHBOARD_PATH, type HttpAppOptions, type RunningHttpServer } from './server.ts';
export { createMetrics, type WorkerMetrics, type MetricSources, type MetricsOptions } from './metrics.ts';
export { runHealthChecks, type HealthChecks, type HealthCheckResult, type HealthReport } from './health.ts';
export { refreshRouter, type RefreshRouteOptions } from './refresh-route.ts';
export { dashboardRouter } from './dashboard.ts';
export { statusRouter, statusIsIdle, type StatusRouteOptions, type StatusReport, type WorkerIdentity } from './status-route.ts';
