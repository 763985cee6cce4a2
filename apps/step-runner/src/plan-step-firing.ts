import { randomUUID } from 'node:crypto';
import type { EnrollmentLifecycleEvent, OutboundMessageCommand } from '@cadence/contracts';
import { advanceAfterStep, nextSendTime } from '@cadence/domain';
import type { DueStep, HistoryRecord, StepAdvanceRow } from '@cadence/persistence';
import { buildOutboundCommand } from './outbound-command';

export interface StepFiringPlan {
  commands: OutboundMessageCommand[];
  advances: StepAdvanceRow[];
  /** Steps due outside their send window: they wait for its next opening. */
  deferrals: Array<{ enrollmentId: string; until: Date }>;
  history: HistoryRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
}

/** What one timer pass does with the steps it claimed: send (and advance or complete), or defer. Pure. */
export function planStepFiring(
  steps: readonly DueStep[],
  now: Date,
  newId: () => string = randomUUID,
): StepFiringPlan {
  const plan: StepFiringPlan = { commands: [], advances: [], deferrals: [], history: [], lifecycle: [] };
  for (const step of steps) {
    const base = { accountId: step.accountId, enrollmentId: step.enrollmentId, at: now };
    const sendAt = nextSendTime(now, step.definition.sendWindow, step.timeZone);
    if (sendAt.getTime() > now.getTime()) {
      plan.deferrals.push({ enrollmentId: step.enrollmentId, until: sendAt });
      plan.history.push({
        ...base,
        fromState: 'active',
        toState: 'active',
        cause: 'deferred_to_send_window',
        stepIndex: step.stepIndex,
        details: { until: sendAt.toISOString() },
      });
      continue;
    }
    plan.commands.push(buildOutboundCommand(step, now));
    const advance = advanceAfterStep(step.definition, step.stepIndex, now);
    const done = advance.kind === 'completed';
    plan.advances.push({
      enrollmentId: step.enrollmentId,
      nextStepIndex: done ? step.stepIndex + 1 : advance.nextStepIndex,
      nextDueAt: done ? null : advance.nextDueAt,
      state: done ? 'completed' : 'active',
    });
    plan.history.push({
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
      time: now.getTime(),
    };
    plan.lifecycle.push({
      ...event,
      id: `${step.enrollmentId}:${step.stepIndex}:sent`,
      type: 'step_sent',
      stepIndex: step.stepIndex,
    });
    if (done) {
      plan.history.push({
        ...base,
        fromState: 'active',
        toState: 'completed',
        cause: 'last_step_sent',
        stepIndex: null,
        details: {},
      });
      plan.lifecycle.push({ ...event, id: newId(), type: 'completed', stepIndex: null });
    }
  }
  return plan;
}
