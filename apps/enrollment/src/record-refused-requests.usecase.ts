import { Inject, Injectable } from '@nestjs/common';
import {
  LifecyclePublisher,
  UnitOfWork,
  decisionLifecycleEvent,
  refusedRequestDecision,
  type Clock,
  type DecisionRecord,
} from '@cadence/domain';
import type { Refusal } from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import { isPermanentDataError } from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { DecisionMetrics } from './decision-metrics';

/**
 * Requests the enrollment app could not take (a command that failed validation, or that the database refused
 * on every retry) still end in a decision of their own, `invalid_request` or `rejected_by_database`, when
 * they name an account and a request id; they are dead-lettered with their bytes as well. A request decided
 * before keeps its first decision.
 */
@Injectable()
export class RecordRefusedRequestsUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly lifecycle: LifecyclePublisher,
    private readonly metrics: DecisionMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(refusals: readonly Refusal[]): Promise<void> {
    const now = this.clock.now();
    const decisions = refusals.flatMap((refusal) => {
      if (refusal.reason === 'undecodable') return [];
      const decision = refusedRequestDecision(
        refusal.value,
        { reason: refusal.reason, detail: refusal.detail },
        now,
      );
      return decision ? [decision] : [];
    });
    if (decisions.length === 0) return;
    const recorded = await this.record(decisions);
    this.metrics.recorded(recorded);
    await this.lifecycle.publish(recorded.map((d) => decisionLifecycleEvent(lifecycleOf(d))));
  }

  /** All at once; if the database refuses that, one by one, leaving out (and logging) what it refuses alone. */
  private async record(decisions: readonly DecisionRecord[]): Promise<DecisionRecord[]> {
    try {
      return await this.insert(decisions);
    } catch (error) {
      if (!isPermanentDataError(error) || decisions.length === 1) {
        if (!isPermanentDataError(error)) throw error;
        this.logger.error(
          { requestId: decisions[0]?.requestId, error: String(error) },
          'even the refusal of this request could not be recorded; it is only in the dead-letter topic',
        );
        return [];
      }
      const recorded: DecisionRecord[] = [];
      for (const decision of decisions) recorded.push(...(await this.record([decision])));
      return recorded;
    }
  }

  /** The decisions that were new (a redelivered refusal is recorded once). */
  private async insert(decisions: readonly DecisionRecord[]): Promise<DecisionRecord[]> {
    return this.unitOfWork.run(async (tx) => {
      const fresh = await tx.decisions.insert(decisions);
      return decisions.filter((d) => fresh.has(d.requestId));
    });
  }
}

const lifecycleOf = (decision: DecisionRecord) => ({ ...decision, sequenceVersion: null });
