import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { Clock } from '@cadence/domain';
import { LOGGER, type ComponentStatus, type Logger } from '@cadence/observability';
import { EventTracesRepository } from '@cadence/persistence';
import { CLOCK, type RoleWorker } from '@cadence/runtime';

const PRUNE_EVERY_MS = 10 * 60_000;
const CHUNK = 10_000;

/**
 * Keeps event traces for EVENT_TRACE_RETENTION_HOURS: every ten minutes, deletes the older ones in chunks of
 * 10,000 (short transactions along the received_at index; every router instance may do it, a chunk deleted
 * twice is simply empty).
 */
@Injectable()
export class EventTracePrunerWorker implements RoleWorker {
  readonly name = 'event-trace-pruner';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly traces: EventTracesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => {
      this.running ??= this.prune()
        .then((dropped) => {
          if (dropped > 0) this.logger.info({ dropped }, 'expired event traces dropped');
        })
        .catch((error: unknown) => this.logger.warn({ error: String(error) }, 'event trace pruning failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, PRUNE_EVERY_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  status(): ComponentStatus {
    return { ok: true };
  }

  /** Drops every trace older than the retention; returns how many. */
  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.EVENT_TRACE_RETENTION_HOURS * 3_600_000);
    let dropped = 0;
    for (;;) {
      const chunk = await this.traces.prune(before, CHUNK);
      dropped += chunk;
      if (chunk < CHUNK) return dropped;
    }
  }
}
