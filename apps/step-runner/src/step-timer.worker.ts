import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { LOGGER, type ComponentStatus, type Logger } from '@cadence/observability';
import type { RoleWorker } from '@cadence/runtime';
import { FireDueStepsUseCase } from './fire-due-steps.usecase';

/** Polls for due steps; loops at once while batches come back full, otherwise waits the poll interval. */
@Injectable()
export class StepTimerWorker implements RoleWorker {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** The pass in flight (settled), so that passes never overlap. */
  private pass: Promise<unknown> = Promise.resolve();
  readonly name = 'step-timer';
  private healthy = false;
  private lastError = 'not polled yet';

  constructor(
    private readonly fireDueSteps: FireDueStepsUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.loop = this.run();
  }

  /** Finishes the pass in flight (its transaction commits or rolls back), then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
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
      if (fired < this.config.STEP_RUNNER_BATCH_SIZE) await this.sleep(this.config.STEP_RUNNER_POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
