import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OutboundCommandPublisher, UnitOfWork, planStepFiring, type Clock } from '@cadence/domain';
import { LOGGER, type Logger } from '@cadence/observability';
import { CLOCK, LifecycleMetrics } from '@cadence/runtime';
import { StepRunnerMetrics } from './step-runner-metrics';

/**
 * One pass of the timer: claim due steps (SKIP LOCKED), emit their channel commands, then advance or
 * complete each enrollment in the same transaction (or defer it to its send window, or park a step that
 * cannot be planned). The broker has the commands before the transaction commits; if the commit then fails,
 * the retry re-emits the same command ids (gateways dedup on them). An exit or pause takes the same row lock,
 * so it is ordered before or after the whole pass, never in the middle.
 */
@Injectable()
export class FireDueStepsUseCase {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbound: OutboundCommandPublisher,
    private readonly metrics: LifecycleMetrics,
    private readonly stepMetrics: StepRunnerMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns how many due steps were claimed (fired, deferred or parked). */
  async execute(limit: number): Promise<number> {
    const now = this.clock.now();
    const fired = await this.unitOfWork.run(async (tx) => {
      const steps = await tx.dueSteps.claim(now, limit);
      if (steps.length === 0) return null;
      const plan = planStepFiring(steps, { now, newId: randomUUID });
      await this.outbound.publish(plan.commands);
      await tx.dueSteps.advance(plan.advances, now);
      await tx.dueSteps.defer(plan.deferrals, now);
      await tx.dueSteps.park(plan.parked, now);
      await tx.history.append(plan.history);
      await tx.funnel.add(plan.funnel);
      await tx.lifecycle.append(plan.lifecycle);
      return { claimed: steps.length, lifecycle: plan.lifecycle, parked: plan.parked, sent: plan.commands };
    });
    if (!fired) return 0;
    this.metrics.committed(fired.lifecycle);
    this.stepMetrics.committed(fired.parked, fired.sent);
    // Logged after the commit, so that each parked step is reported once, as it stands in the database.
    for (const parking of fired.parked) this.logger.warn(parking, 'step parked: it cannot be planned');
    return fired.claimed;
  }
}
