import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { contactKey, type EnrollmentLifecycleEvent, type Topics } from '@cadence/contracts';
import { advanceAfterStep, type Clock } from '@cadence/domain';
import { ContractProducer, TOPICS } from '@cadence/kafka';
import {
  DueStepsRepository,
  EnrollmentsRepository,
  OutboxRepository,
  type HistoryRecord,
  type StepAdvanceRow,
} from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { buildOutboundCommand } from './outbound-command';

/**
 * One pass of the timer: claim due steps (SKIP LOCKED), emit their channel commands, then advance or
 * complete each enrollment in the same transaction. The broker has the commands before the transaction
 * commits; if the commit then fails, the retry re-emits the same command ids (gateways dedup on them).
 */
@Injectable()
export class FireDueStepsUseCase {
  constructor(
    private readonly dueSteps: DueStepsRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly outbox: OutboxRepository,
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many steps fired. */
  async execute(limit: number): Promise<number> {
    const now = this.clock.now();
    return this.dueSteps.transaction(async (tx) => {
      const steps = await this.dueSteps.claimDue(tx, now, limit);
      if (steps.length === 0) return 0;
      const commands = steps.map((step) => buildOutboundCommand(step, now));
      await this.producer.send(
        commands.map((command) => ({
          topic: this.topics.outbound[command.channel],
          key: contactKey(command.accountId, command.contactId),
          value: command,
        })),
      );
      const advances: StepAdvanceRow[] = [];
      const history: HistoryRecord[] = [];
      const lifecycle: EnrollmentLifecycleEvent[] = [];
      for (const step of steps) {
        const advance = advanceAfterStep(step.definition, step.stepIndex, now);
        const done = advance.kind === 'completed';
        advances.push({
          enrollmentId: step.enrollmentId,
          nextStepIndex: done ? step.stepIndex + 1 : advance.nextStepIndex,
          nextDueAt: done ? null : advance.nextDueAt,
          state: done ? 'completed' : 'active',
        });
        const base = { accountId: step.accountId, enrollmentId: step.enrollmentId, at: now };
        history.push({
          ...base,
          fromState: 'active',
          toState: 'active',
          cause: 'step_sent',
          stepIndex: step.stepIndex,
          details: {},
        });
        const event = {
          accountId: step.accountId,
          contactId: step.contactId,
          sequenceId: step.sequenceId,
          sequenceVersion: step.sequenceVersion,
          enrollmentId: step.enrollmentId,
          requestId: null,
          reason: null,
          stepIndex: step.stepIndex,
          time: now.getTime(),
        };
        lifecycle.push({ ...event, id: randomUUID(), type: 'step_sent' });
        if (done) {
          history.push({
            ...base,
            fromState: 'active',
            toState: 'completed',
            cause: 'last_step_sent',
            stepIndex: null,
            details: {},
          });
          lifecycle.push({ ...event, id: randomUUID(), type: 'completed', stepIndex: null });
        }
      }
      await this.dueSteps.advance(tx, advances, now);
      await this.enrollments.insertHistory(tx, history);
      await this.outbox.append(
        tx,
        lifecycle.map((event) => ({
          topic: this.topics.enrollmentLifecycle,
          key: contactKey(event.accountId, event.contactId),
          payload: event,
        })),
      );
      return steps.length;
    });
  }
}
