/**
 * Gathers items submitted one by one (BullMQ hands a worker one job per concurrency slot) into
 * batches: a batch is run when it holds `maxSize` items or `waitMs` after its first item,
 * whichever comes first. This is what lets one processor call serve many jobs.
 */

/** Runs a batch; returns one result per item, in order. */
export type BatchRunner<T, R> = (items: T[]) => Promise<R[]>;

/** Collects items into batches and hands each item its own result. */
export class MicroBatcher<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  /**
   * @param run - runs one batch
   * @param maxSize - the largest batch
   * @param waitMs - how long the first item of a batch waits for company
   */
  constructor(
    private readonly run: BatchRunner<T, R>,
    private readonly maxSize: number,
    private readonly waitMs: number,
  ) {}

  /** Adds an item; resolves with its result once its batch ran. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxSize) this.flush();
      else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.waitMs);
    });
  }

  /** Runs what is pending now (used on close so nothing waits for the timer). */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.run(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, index) => entry.resolve(results[index] as R)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
