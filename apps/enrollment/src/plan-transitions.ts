import type { EnrollmentCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import { decideTransition, EXIT_RULES, type ExitRule, type TransitionRequest } from '@cadence/domain';
import type { HistoryRecord, LockedEnrollment, TransitionRow } from '@cadence/persistence';

export interface TransitionPlan {
  updates: TransitionRow[];
  history: HistoryRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
  /** Commands that changed nothing, with why (logged; the enrollment's history only holds real changes). */
  noops: Array<{ commandId: string; why: string }>;
}

const ENDING_STATES = new Set(['completed', 'exited', 'cancelled']);

export function transitionRequest(command: EnrollmentCommand): TransitionRequest | null {
  switch (command.kind) {
    case 'pause':
    case 'resume':
    case 'cancel':
      return { kind: command.kind };
    case 'exit':
      return (EXIT_RULES as readonly string[]).includes(command.exitReason ?? '')
        ? { kind: 'exit', rule: command.exitReason as ExitRule }
        : null;
    case 'enroll':
      return null;
  }
}

/** Which locked enrollments a command addresses: one by id, or a contact's live ones for an exit. */
function addressed(command: EnrollmentCommand, enrollments: readonly LockedEnrollment[]): LockedEnrollment[] {
  if (command.kind !== 'exit') {
    return enrollments.filter((e) => e.id === command.enrollmentId && e.accountId === command.accountId);
  }
  return enrollments.filter(
    (e) =>
      e.accountId === command.accountId &&
      e.contactId === command.contactId &&
      (!command.sequenceId || e.sequenceId === command.sequenceId) &&
      (!command.target ||
        e.targetType === 'contact' ||
        (e.targetType === command.target.type && e.targetId === command.target.id)) &&
      e.createdAt.getTime() <= command.requestedAt,
  );
}

/**
 * Applies pause/resume/cancel/exit commands in order to the locked enrollments, as if one by one: a cancel
 * after a pause in the same batch sees the paused state.
 */
export function planTransitions(
  commands: readonly EnrollmentCommand[],
  locked: readonly LockedEnrollment[],
  ctx: { now: Date; newId: () => string },
): TransitionPlan {
  const plan: TransitionPlan = { updates: [], history: [], lifecycle: [], noops: [] };
  const current = new Map(locked.map((e) => [e.id, { ...e }]));
  for (const command of commands) {
    const request = transitionRequest(command);
    if (!request) {
      plan.noops.push({
        commandId: command.commandId,
        why: `unknown exit rule ${command.exitReason ?? '(none)'}`,
      });
      continue;
    }
    const targets = addressed(command, [...current.values()]);
    if (targets.length === 0)
      plan.noops.push({ commandId: command.commandId, why: 'no enrollment addressed' });
    for (const enrollment of targets) {
      const outcome = decideTransition(enrollment, request, ctx.now);
      if (outcome.kind === 'noop') {
        plan.noops.push({ commandId: command.commandId, why: outcome.why });
        continue;
      }
      const ending = ENDING_STATES.has(outcome.toState);
      plan.history.push({
        accountId: enrollment.accountId,
        enrollmentId: enrollment.id,
        fromState: enrollment.state,
        toState: outcome.toState,
        cause: outcome.cause,
        stepIndex: null,
        details: { requestId: command.commandId, provenance: command.provenance },
        at: ctx.now,
      });
      plan.lifecycle.push({
        id: ctx.newId(),
        type: outcome.lifecycle,
        accountId: enrollment.accountId,
        contactId: enrollment.contactId,
        sequenceId: enrollment.sequenceId,
        sequenceVersion: enrollment.sequenceVersion,
        enrollmentId: enrollment.id,
        requestId: command.commandId,
        reason: outcome.cause,
        stepIndex: null,
        time: ctx.now.getTime(),
      });
      const existing = plan.updates.find((u) => u.id === enrollment.id);
      const update: TransitionRow = {
        id: enrollment.id,
        rowVersion: existing ? existing.rowVersion : enrollment.rowVersion,
        toState: outcome.toState,
        nextStepIndex: outcome.nextStepIndex,
        nextStepDueAt: outcome.nextStepDueAt,
        endReason: ending ? outcome.cause : null,
      };
      if (existing) Object.assign(existing, update);
      else plan.updates.push(update);
      current.set(enrollment.id, {
        ...enrollment,
        state: outcome.toState,
        nextStepIndex: outcome.nextStepIndex,
        nextStepDueAt: outcome.nextStepDueAt,
      });
    }
  }
  return plan;
}
