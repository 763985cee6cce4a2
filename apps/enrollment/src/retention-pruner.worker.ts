import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { Clock, DroppedRows } from '@cadence/domain';
import { LOGGER, type ComponentStatus, type Logger } from '@cadence/observability';
import { RetentionRepository } from '@cadence/persistence';
import { CLOCK, Periodic, dropInChunks, type RoleWorker } from '@cadence/runtime';

const PRUNE_EVERY_MS = 10 * 60_000;
const CHUNK = 5_000;

/**
 * Keeps decisions, history and ended enrollments for RETENTION_DAYS: every ten minutes, drops what ended or
 * was refused before then, 5,000 rows per statement until none is left. Live enrollments are never dropped.
 * Every enrollment instance may run it; a chunk another one took is simply not found.
 */
@Injectable()
export class RetentionPrunerWorker implements RoleWorker {
  readonly name = 'retention-pruner';
  private readonly periodic: Periodic;

  constructor(
    private readonly retention: RetentionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.periodic = new Periodic(
      'expired decisions, enrollments and history dropped',
      PRUNE_EVERY_MS,
      async () => {
        const dropped = await this.prune();
        return Object.values(dropped).some((n) => n > 0) ? dropped : null;
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

  /** Drops everything past the retention; returns how many rows of each kind. */
  async prune(): Promise<DroppedRows> {
    const before = new Date(this.clock.now().getTime() - this.config.RETENTION_DAYS * 86_400_000);
    const dropped: DroppedRows = {
      enrollments: 0,
      history: 0,
      decisions: 0,
      acceptedRequests: 0,
      dailyCounts: 0,
    };
    dropped.enrollments = await dropInChunks(CHUNK, async (limit) => {
      const chunk = await this.retention.dropEndedEnrollments(before, limit);
      dropped.history += chunk.history;
      dropped.decisions += chunk.decisions;
      return chunk.enrollments;
    });
    dropped.decisions += await dropInChunks(CHUNK, (limit) => this.retention.dropRefusals(before, limit));
    dropped.acceptedRequests = await dropInChunks(CHUNK, (limit) =>
      this.retention.dropAcceptedRequests(before, limit),
    );
    dropped.dailyCounts = await this.retention.dropDailyCounts(before);
    return dropped;
  }
}
