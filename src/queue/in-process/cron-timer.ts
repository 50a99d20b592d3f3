/** Runs a callback at each occurrence of a cron pattern (the in-process stand-in for BullMQ's job scheduler). */
import { CronExpressionParser } from 'cron-parser';

/** A running cron timer. */
export interface CronTimer {
  stop(): void;
}

/** Calls `fire` at every occurrence of `pattern` in `tz` until stopped. */
export function startCronTimer(pattern: string, tz: string, fire: () => void): CronTimer {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    const next = CronExpressionParser.parse(pattern, { tz, currentDate: new Date() }).next().getTime();
    // setTimeout cannot wait longer than 2^31-1 ms: re-arm in steps for distant occurrences.
    const delay = Math.min(Math.max(0, next - Date.now()), 2 ** 31 - 1);
    timer = setTimeout(() => {
      if (Date.now() >= next) fire();
      arm();
    }, delay);
    timer.unref();
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
