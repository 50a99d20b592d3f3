/**
 * A small side-by-side benchmark harness: each case runs for a fixed time after a warm-up, the
 * best of several rounds is kept (shared, noisy machines), and ratios are computed within one run.
 */
export interface BenchResult {
  readonly name: string;
  /** Operations per second (best round). */
  readonly opsPerSecond: number;
}

/** Keeps results observable so the JIT cannot drop the work. */
export let sink: unknown;

export function measure(name: string, op: () => unknown, options: { rounds?: number; roundMs?: number } = {}): BenchResult {
  const rounds = options.rounds ?? 5;
  const roundMs = options.roundMs ?? 300;
  // Warm-up: let the JIT optimise before timing.
  const warmEnd = performance.now() + roundMs;
  while (performance.now() < warmEnd) for (let i = 0; i < 100; i++) sink = op();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < 100; i++) sink = op();
      ops += 100;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (ops * 1000) / elapsed);
  }
  return { name, opsPerSecond: best };
}

export function formatRate(opsPerSecond: number): string {
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toFixed(2)} M/s`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toFixed(1)} k/s`;
  return `${opsPerSecond.toFixed(0)} /s`;
}

/** Prints one comparison line and returns whether the target holds. */
export function report(label: string, value: string, target: string, ok: boolean): boolean {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label.padEnd(58)} ${value.padEnd(28)} target ${target}`);
  return ok;
}
