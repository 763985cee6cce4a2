import type { EnrollmentLifecycleEvent, OutboundMessageCommand } from '@cadence/contracts';
import type {
  ClaimedStep,
  DueStep,
  HistoryRecord,
  StepAdvanceRow,
  StepDeferral,
  StepParking,
} from './enrollment-records';
import { funnelCountsOf, type FunnelCount } from './funnel-counts';
import { stepLifecycleEvent } from './lifecycle-events';
import { buildOutboundCommand } from './outbound-command';
import { advanceAfterStep } from './schedule';
import { nextSendTime } from './send-window';
import { DueStepReader } from './step-parking';

export interface StepFiringPlan {
  commands: OutboundMessageCommand[];
  advances: StepAdvanceRow[];
  /** Steps due outside their send window: they wait for its next opening. */
  deferrals: StepDeferral[];
  /** Steps that cannot be planned: they leave the due index with their reason, and the rest go on. */
  parked: StepParking[];
  history: HistoryRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
  /** The funnel's counters the advances move (deferred and parked steps move none). */
  funnel: FunnelCount[];
}

type StepOutcome = Omit<StepFiringPlan, 'parked' | 'funnel'>;

/**
 * What one timer pass does with the steps it claimed: send (and advance or complete), defer, or park. Pure,
 * and total per step: a step whose row cannot be planned (a zone Intl does not know, a broken pinned version,
 * a step index past the end, or anything the planner throws on) is parked on its own, so one bad row never
 * fails the pass and, claimed first by due time, never holds back the steps behind it.
 */
export function planStepFiring(
  steps: readonly ClaimedStep[],
  ctx: { now: Date; newId: () => string },
): StepFiringPlan {
  const plan: StepFiringPlan = {
    commands: [],
    advances: [],
    deferrals: [],
    parked: [],
    history: [],
    lifecycle: [],
    funnel: [],
  };
  const reader = new DueStepReader();
  for (const claimed of steps) {
    if (claimed.optedOut) {
      exitOptedOut(plan, claimed, ctx);
      continue;
    }
    const reading = reader.read(claimed);
    let outcome: StepOutcome | StepParking;
    if (!reading.ok) outcome = { ...parkingOf(claimed), reason: reading.reason, detail: reading.detail };
    else {
      try {
        outcome = planDueStep(reading.step, ctx);
      } catch (error) {
        outcome = { ...parkingOf(claimed), reason: 'planning_failed', detail: String(error) };
      }
    }
    if ('reason' in outcome) park(plan, claimed, outcome, ctx.now);
    else {
      plan.commands.push(...outcome.commands);
      plan.advances.push(...outcome.advances);
      plan.deferrals.push(...outcome.deferrals);
      plan.history.push(...outcome.history);
      plan.lifecycle.push(...outcome.lifecycle);
    }
  }
  plan.funnel = funnelOfAdvances(plan.advances, steps);
  return plan;
}

/** An advance sent its step, except an opted-out contact's exit, which sends nothing. */
function funnelOfAdvances(advances: readonly StepAdvanceRow[], steps: readonly ClaimedStep[]): FunnelCount[] {
  const claimed = new Map(steps.map((step) => [step.enrollmentId, step]));
  return funnelCountsOf(
    advances.flatMap((advance) => {
      const step = claimed.get(advance.enrollmentId);
      if (!step) return [];
      return [
        {
          accountId: step.accountId,
          sequenceId: step.sequenceId,
          sequenceVersion: step.sequenceVersion,
          from: { state: 'active', nextStepIndex: step.stepIndex },
          to: { state: advance.state, nextStepIndex: advance.nextStepIndex, endReason: advance.endReason },
          sentStep: advance.state === 'exited' ? null : step.stepIndex,
        },
      ];
    }),
  );
}

/**
 * The backstop of opt-out: an enrollment whose contact opted out after it was made (an enroll decided on the
 * other command lane at the instant of the opt-out) sends nothing; it exits here instead.
 */
function exitOptedOut(
  plan: StepFiringPlan,
  step: ClaimedStep,
  ctx: { now: Date; newId: () => string },
): void {
  plan.advances.push({
    enrollmentId: step.enrollmentId,
    nextStepIndex: step.stepIndex,
    nextDueAt: null,
    state: 'exited',
    endReason: 'exit:opted_out',
  });
  plan.history.push({
    accountId: step.accountId,
    enrollmentId: step.enrollmentId,
    fromState: 'active',
    toState: 'exited',
    cause: 'exit:opted_out',
    stepIndex: step.stepIndex,
    details: { by: 'step-runner' },
    at: ctx.now,
  });
  plan.lifecycle.push(stepLifecycleEvent(step, { type: 'exited', id: ctx.newId() }, ctx.now));
}

const parkingOf = (step: ClaimedStep) => ({ enrollmentId: step.enrollmentId, accountId: step.accountId });

function park(plan: StepFiringPlan, step: ClaimedStep, parking: StepParking, now: Date): void {
  plan.parked.push(parking);
  plan.history.push({
    accountId: step.accountId,
    enrollmentId: step.enrollmentId,
    fromState: 'active',
    toState: 'active',
    cause: 'step_parked',
    stepIndex: step.stepIndex,
    details: { reason: parking.reason, detail: parking.detail },
    at: now,
  });
}

/** One checked step: sent now (advancing or completing its enrollment), or deferred to its send window. */
function planDueStep(step: DueStep, ctx: { now: Date; newId: () => string }): StepOutcome {
  const { now } = ctx;
  const outcome: StepOutcome = { commands: [], advances: [], deferrals: [], history: [], lifecycle: [] };
  const base = { accountId: step.accountId, enrollmentId: step.enrollmentId, at: now };
  const sendAt = nextSendTime(now, step.definition.sendWindow, step.timeZone);
  if (sendAt.getTime() > now.getTime()) {
    outcome.deferrals.push({ enrollmentId: step.enrollmentId, until: sendAt });
    outcome.history.push({
      ...base,
      fromState: 'active',
      toState: 'active',
      cause: 'deferred_to_send_window',
      stepIndex: step.stepIndex,
      details: { until: sendAt.toISOString() },
    });
    return outcome;
  }
  outcome.commands.push(buildOutboundCommand(step, now));
  const advance = advanceAfterStep(step.definition, step.stepIndex, now);
  const done = advance.kind === 'completed';
  outcome.advances.push({
    enrollmentId: step.enrollmentId,
    nextStepIndex: done ? step.stepIndex + 1 : advance.nextStepIndex,
    nextDueAt: done ? null : advance.nextDueAt,
    state: done ? 'completed' : 'active',
    endReason: done ? 'completed' : null,
  });
  outcome.history.push({
    ...base,
    fromState: 'active',
    toState: 'active',
    cause: 'step_sent',
    stepIndex: step.stepIndex,
    details: {},
  });
  outcome.lifecycle.push(stepLifecycleEvent(step, { type: 'step_sent' }, now));
  if (done) {
    outcome.history.push({
      ...base,
      fromState: 'active',
      toState: 'completed',
      cause: 'last_step_sent',
      stepIndex: null,
      details: {},
    });
    outcome.lifecycle.push(stepLifecycleEvent(step, { type: 'completed', id: ctx.newId() }, now));
  }
  return outcome;
}
