/** The `/health` answer: is the process able to do its work. */

/** One check's result. */
export interface HealthCheckResult {
  readonly ok: boolean;
  /** Details shown in the answer (counts, positions, the error). */
  readonly detail?: unknown;
}

/** Named checks, each a function (a queue's counts, a store's head…). A throwing check is not ok. */
export type HealthChecks = Readonly<Record<string, () => Promise<HealthCheckResult>>>;

/** The answer of `/health`. */
export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly uptimeSeconds: number;
  readonly checks: Record<string, HealthCheckResult>;
}

/** Runs every check (each bounded by `timeoutMs`) and sums them up. */
export async function runHealthChecks(checks: HealthChecks, timeoutMs = 2000): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, HealthCheckResult]> => {
      try {
        return [name, await withTimeout(check(), timeoutMs)];
      } catch (error) {
        return [name, { ok: false, detail: (error as Error).message }];
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return {
    status: entries.every(([, result]) => result.ok) ? 'ok' : 'failing',
    uptimeSeconds: Math.round(process.uptime()),
    checks: results,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
