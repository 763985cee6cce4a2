import type { Logger } from '@cadence/observability';

/**
 * Runs `task` every `intervalMs` (never two at once), logging what it reports or why it failed; `stop` waits
 * for the run in flight. For the background chores of a role (pruning expired rows), composed, not inherited.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<object | null>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.task()
        .then((report) => {
          if (report) this.logger.info(report, this.what);
        })
        .catch((error: unknown) => this.logger.warn({ error: String(error) }, `${this.what} failed`))
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/**
 * Calls `drop(limit)` until it drops fewer than `limit` rows (the last chunk); returns how many it dropped.
 * Each call is its own short statement, so a large backlog never holds one long transaction.
 */
export async function dropInChunks(limit: number, drop: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const dropped = await drop(limit);
    total += dropped;
    if (dropped < limit) return total;
  }
}
