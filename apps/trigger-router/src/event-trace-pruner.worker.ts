import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { Clock } from '@cadence/domain';
import { LOGGER, type ComponentStatus, type Logger } from '@cadence/observability';
import { EventTracesRepository } from '@cadence/persistence';
import { CLOCK, Periodic, dropInChunks, type RoleWorker } from '@cadence/runtime';

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
  private readonly periodic: Periodic;

  constructor(
    private readonly traces: EventTracesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.periodic = new Periodic(
      'expired event traces dropped',
      PRUNE_EVERY_MS,
      async () => {
        const dropped = await this.prune();
        return dropped > 0 ? { dropped } : null;
      },
      logger,
    );
  }

  async start(): Promise<void> {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
  }

  status(): ComponentStatus {
    return { ok: true };
  }

  /** Drops every trace older than the retention; returns how many. */
  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.EVENT_TRACE_RETENTION_HOURS * 3_600_000);
    return dropInChunks(CHUNK, (limit) => this.traces.prune(before, limit));
  }
}
