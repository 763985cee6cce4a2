import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { TransitionCommand } from '@cadence/contracts';
import {
  UnitOfWork,
  enrollmentsToLock,
  hasStepDueBy,
  planTransitions,
  type Clock,
  type TransitionNoop,
} from '@cadence/domain';
import { LOGGER, type Logger } from '@cadence/observability';
import { CLOCK, LifecycleMetrics } from '@cadence/runtime';

const isApiTransition = (kind: TransitionNoop['kind']): boolean =>
  kind === 'pause' || kind === 'resume' || kind === 'cancel';

/**
 * Pause, resume, cancel and exit commands of a batch: locks the addressed enrollments, plans the changes
 * purely, and writes state, history and lifecycle outbox rows in one transaction. Redelivery is harmless: a
 * transition already applied is a no-op the second time.
 */
@Injectable()
export class ApplyTransitionsUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly metrics: LifecycleMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many enrollments changed. */
  async execute(commands: readonly TransitionCommand[]): Promise<number> {
    if (commands.length === 0) return 0;
    const now = this.clock.now();
    const plan = await this.unitOfWork.run(async (tx) => {
      const { byId, liveOfContacts } = enrollmentsToLock(commands);
      const locked = [
        ...(await tx.enrollments.lockByIds(byId)),
        ...(await tx.enrollments.lockLiveOfContacts(liveOfContacts)),
      ];
      const unique = [...new Map(locked.map((e) => [e.id, e])).values()];
      const planned = planTransitions(commands, unique, { now, newId: randomUUID });
      await tx.preferences.apply(planned.preferences);
      await tx.enrollments.applyTransitions(planned.updates, now);
      // A resume with send-now leaves an overdue step due: the step-runners need not wait for their poll.
      const resumedDue = planned.updates.filter((u) => u.toState === 'active');
      if (hasStepDueBy(resumedDue, now)) await tx.dueNow.signal();
      await tx.history.append(planned.history);
      await tx.funnel.add(planned.funnel);
      await tx.lifecycle.append(planned.lifecycle);
      // Only the api's requests wait for an answer (exits from replies that no enrollment lists are many).
      await tx.acceptedRequests.markUnchanged(planned.noops.filter((noop) => isApiTransition(noop.kind)));
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
