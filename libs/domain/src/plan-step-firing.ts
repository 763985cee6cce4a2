import type { EnrollmentLifecycleEvent, OutboundMessageCommand } from '@cadence/contracts';
import type { DueStep, HistoryRecord, StepAdvanceRow, StepDeferral } from './enrollment-records';
import { stepLifecycleEvent } from './lifecycle-events';
import { buildOutboundCommand } from './outbound-command';
import { advanceAfterStep } from './schedule';
import { nextSendTime } from './send-window';

export interface StepFiringPlan {
  commands: OutboundMessageCommand[];
  advances: StepAdvanceRow[];
  /** Steps due outside their send window: they wait for its next opening. */
  deferrals: StepDeferral[];
  history: HistoryRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
}

/** What one timer pass does with the steps it claimed: send (and advance or complete), or defer. Pure. */
export function planStepFiring(
  steps: readonly DueStep[],
  ctx: { now: Date; newId: () => string },
): StepFiringPlan {
  const { now } = ctx;
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
    plan.lifecycle.push(stepLifecycleEvent(step, { type: 'step_sent' }, now));
    if (done) {
      plan.history.push({
        ...base,
        fromState: 'active',
        toState: 'completed',
        cause: 'last_step_sent',
        stepIndex: null,
        details: {},
      });
      plan.lifecycle.push(stepLifecycleEvent(step, { type: 'completed', id: ctx.newId() }, now));
    }
  }
  return plan;
}
