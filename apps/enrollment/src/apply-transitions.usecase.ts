import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { contactKey, type EnrollmentCommand, type Topics } from '@cadence/contracts';
import type { Clock } from '@cadence/domain';
import { TOPICS } from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import {
  EnrollmentsRepository,
  EnrollmentTransitionsRepository,
  OutboxRepository,
} from '@cadence/persistence';
import { CLOCK, LifecycleMetrics } from '@cadence/runtime';
import { planTransitions } from './plan-transitions';

/**
 * Pause, resume, cancel and exit commands of a batch: locks the addressed enrollments, plans the changes
 * purely, and writes state, history and lifecycle outbox rows in one transaction. Redelivery is harmless: a
 * transition already applied is a no-op the second time.
 */
@Injectable()
export class ApplyTransitionsUseCase {
  constructor(
    private readonly enrollments: EnrollmentsRepository,
    private readonly transitions: EnrollmentTransitionsRepository,
    private readonly outbox: OutboxRepository,
    private readonly metrics: LifecycleMetrics,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many enrollments changed. */
  async execute(commands: readonly EnrollmentCommand[]): Promise<number> {
    if (commands.length === 0) return 0;
    const now = this.clock.now();
    const plan = await this.enrollments.transaction(async (tx) => {
      const byId = commands.filter((c) => c.kind !== 'exit' && c.enrollmentId);
      const exits = commands.filter((c) => c.kind === 'exit');
      const locked = [
        ...(await this.transitions.lockByIds(
          tx,
          byId.map((c) => ({ accountId: c.accountId, enrollmentId: c.enrollmentId! })),
        )),
        ...(await this.transitions.lockLiveByContacts(
          tx,
          exits.map((c) => ({ accountId: c.accountId, contactId: c.contactId })),
        )),
      ];
      const unique = [...new Map(locked.map((e) => [e.id, e])).values()];
      const planned = planTransitions(commands, unique, { now, newId: randomUUID });
      await this.transitions.apply(tx, planned.updates, now);
      await this.enrollments.insertHistory(tx, planned.history);
      await this.outbox.append(
        tx,
        planned.lifecycle.map((event) => ({
          topic: this.topics.enrollmentLifecycle,
          key: contactKey(event.accountId, event.contactId),
          payload: event,
        })),
      );
      return planned;
    });
    this.metrics.committed(plan.lifecycle);
    if (plan.noops.length > 0)
      this.logger.info(
        { noops: plan.noops.slice(0, 20), count: plan.noops.length },
        'commands that changed nothing',
      );
    return plan.updates.length;
  }
}
