import { Inject, Injectable } from '@nestjs/common';
import { contactKey, type Topics } from '@cadence/contracts';
import type { Clock } from '@cadence/domain';
import { ContractProducer, TOPICS } from '@cadence/kafka';
import { DueStepsRepository, EnrollmentsRepository, OutboxRepository } from '@cadence/persistence';
import { CLOCK, LifecycleMetrics } from '@cadence/runtime';
import { planStepFiring } from './plan-step-firing';

/**
 * One pass of the timer: claim due steps (SKIP LOCKED), emit their channel commands, then advance or
 * complete each enrollment in the same transaction (or defer it to its send window). The broker has the
 * commands before the transaction commits; if the commit then fails, the retry re-emits the same command
 * ids (gateways dedup on them). An exit or pause takes the same row lock, so it is ordered before or after
 * the whole pass, never in the middle.
 */
@Injectable()
export class FireDueStepsUseCase {
  constructor(
    private readonly dueSteps: DueStepsRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly outbox: OutboxRepository,
    private readonly producer: ContractProducer,
    private readonly metrics: LifecycleMetrics,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many due steps were claimed (fired or deferred). */
  async execute(limit: number): Promise<number> {
    const now = this.clock.now();
    const fired = await this.dueSteps.transaction(async (tx) => {
      const steps = await this.dueSteps.claimDue(tx, now, limit);
      if (steps.length === 0) return null;
      const plan = planStepFiring(steps, now);
      await this.producer.send(
        plan.commands.map((command) => ({
          topic: this.topics.outbound[command.channel],
          key: contactKey(command.accountId, command.contactId),
          value: command,
        })),
      );
      await this.dueSteps.advance(tx, plan.advances, now);
      await this.dueSteps.defer(tx, plan.deferrals, now);
      await this.enrollments.insertHistory(tx, plan.history);
      await this.outbox.append(
        tx,
        plan.lifecycle.map((event) => ({
          topic: this.topics.enrollmentLifecycle,
          key: contactKey(event.accountId, event.contactId),
          payload: event,
        })),
      );
      return { claimed: steps.length, lifecycle: plan.lifecycle };
    });
    if (!fired) return 0;
    this.metrics.committed(fired.lifecycle);
    return fired.claimed;
  }
}
