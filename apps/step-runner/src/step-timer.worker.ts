import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { LOGGER, type ComponentStatus, type Logger } from '@cadence/observability';
import { ChangeNotifications, STEPS_DUE_CHANNEL } from '@cadence/persistence';
import type { RoleWorker } from '@cadence/runtime';
import { FireDueStepsUseCase } from './fire-due-steps.usecase';

/**
 * Polls for due steps; loops at once while batches come back full, otherwise waits the poll interval. With the
 * fast path on, a commit that leaves a step due now (NOTIFY on `cadence_steps_due`) ends the wait at once; the
 * pass is the same claim (SKIP LOCKED), so a step is still fired once, and polling stays as the backstop.
 */
@Injectable()
export class StepTimerWorker implements RoleWorker {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A notification arrived while a pass was running: the next wait is skipped. */
  private notified = false;
  private readonly notifications: ChangeNotifications | null;
  /** The pass in flight (settled), so that passes never overlap. */
  private pass: Promise<unknown> = Promise.resolve();
  readonly name = 'step-timer';
  private healthy = false;
  private lastError = 'not polled yet';

  constructor(
    private readonly fireDueSteps: FireDueStepsUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.notifications = config.STEP_RUNNER_FAST_PATH
      ? new ChangeNotifications({
          url: config.DATABASE_URL,
          channel: STEPS_DUE_CHANNEL,
          onChange: () => this.dueNow(),
          onError: (error) =>
            this.logger.warn({ error: String(error) }, 'due-step notifications lost; polling'),
        })
      : null;
  }

  async start(): Promise<void> {
    await this.notifications?.start();
    this.loop = this.run();
  }

  /** Finishes the pass in flight (its transaction commits or rolls back), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.notifications?.stop();
  }

  /** A step became due now: end the wait, or skip the next one if a pass is running. */
  private dueNow(): void {
    if (this.wake) this.wake();
    else this.notified = true;
  }

  status(): ComponentStatus {
    if (this.stopping) return { ok: false, detail: 'stopping' };
    return this.healthy ? { ok: true } : { ok: false, detail: `firing due steps failed: ${this.lastError}` };
  }

  /**
   * One pass now, after the one in flight: a test that moved its manual clock calls it to know that every
   * step due by then (up to a batch) has been claimed. Returns how many due steps the pass claimed.
   */
  tick(): Promise<number> {
    const next = this.pass.then(() => this.fireDueSteps.execute(this.config.STEP_RUNNER_BATCH_SIZE));
    this.pass = next.catch(() => undefined);
    return next;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let fired = 0;
      try {
        fired = await this.tick();
        this.healthy = true;
      } catch (error) {
        this.healthy = false;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.error({ error: String(error) }, 'firing due steps failed; retrying');
      }
      const woken = this.notified;
      this.notified = false;
      if (fired < this.config.STEP_RUNNER_BATCH_SIZE && !woken)
        await this.sleep(this.config.STEP_RUNNER_POLL_MS);
    }
  }

  /**
   * Waits `ms`, or until woken (a due-now notification, or stop). A stop that came during the pass found no
   * wait to end, so a wait that would start after it does not start.
   */
  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
