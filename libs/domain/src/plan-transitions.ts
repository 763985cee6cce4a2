import type { EnrollmentLifecycleEvent, TransitionCommand } from '@cadence/contracts';
import { decideTransition, type EnrollmentState, type TransitionRequest } from './enrollment-transition';
import type { HistoryRecord, LockedEnrollment, TransitionRow } from './enrollment-records';
import { funnelCountsOf, type FunnelCount } from './funnel-counts';
import { transitionLifecycleEvent } from './lifecycle-events';
import { compactProvenance } from './provenance';

/** A contact's opt-out (or opt-in) as of `at`: a later change wins, whatever order they arrive in. */
export interface ContactPreference {
  accountId: string;
  contactId: string;
  optedOut: boolean;
  at: Date;
  requestId: string;
  cause: string | null;
}

/** A command that changed nothing, and why (a pause of an ended enrollment, an exit no enrollment lists). */
export interface TransitionNoop {
  accountId: string;
  commandId: string;
  kind: TransitionCommand['kind'];
  why: string;
}

export interface TransitionPlan {
  preferences: ContactPreference[];
  updates: TransitionRow[];
  history: HistoryRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
  /** Commands that changed nothing, with why (logged; the enrollment's history only holds real changes). */
  noops: TransitionNoop[];
  /** The funnel's counters the changes move: from where each enrollment was locked to where it ends up. */
  funnel: FunnelCount[];
}

const ENDING_STATES: ReadonlySet<EnrollmentState> = new Set(['completed', 'exited', 'cancelled']);

type EnrollmentChange = Exclude<TransitionCommand, { kind: 'opt_in' }>;

const transitionRequest = (command: EnrollmentChange): TransitionRequest =>
  command.kind === 'exit' ? { kind: 'exit', rule: command.rule } : { kind: command.kind };

/**
 * Which locked enrollments a command addresses: one by id; a contact's live ones for an exit (narrowed by
 * sequence and object when named, and made before the exit happened); all of them for an opt-out.
 */
function addressed(command: EnrollmentChange, enrollments: readonly LockedEnrollment[]): LockedEnrollment[] {
  if (command.kind === 'opt_out') {
    return enrollments.filter((e) => e.accountId === command.accountId && e.contactId === command.contactId);
  }
  if (command.kind !== 'exit') {
    return enrollments.filter((e) => e.id === command.enrollmentId && e.accountId === command.accountId);
  }
  const { sequenceId, target } = command;
  return enrollments.filter(
    (e) =>
      e.accountId === command.accountId &&
      e.contactId === command.contactId &&
      (!sequenceId || e.sequenceId === sequenceId) &&
      (!target || e.targetType === 'contact' || (e.targetType === target.type && e.targetId === target.id)) &&
      e.createdAt.getTime() <= command.requestedAt,
  );
}

const noopOf = (command: TransitionCommand, why: string): TransitionNoop => ({
  accountId: command.accountId,
  commandId: command.commandId,
  kind: command.kind,
  why,
});

/** The enrollments a batch of transition commands must lock: by id, and the live ones of contacts exiting. */
export function enrollmentsToLock(commands: readonly TransitionCommand[]): {
  byId: Array<{ accountId: string; enrollmentId: string }>;
  liveOfContacts: Array<{ accountId: string; contactId: string }>;
} {
  const byId: Array<{ accountId: string; enrollmentId: string }> = [];
  const liveOfContacts: Array<{ accountId: string; contactId: string }> = [];
  for (const command of commands) {
    switch (command.kind) {
      case 'exit':
      case 'opt_out':
        liveOfContacts.push({ accountId: command.accountId, contactId: command.contactId });
        break;
      case 'opt_in':
        break;
      case 'pause':
      case 'resume':
      case 'cancel':
        byId.push({ accountId: command.accountId, enrollmentId: command.enrollmentId });
    }
  }
  return { byId, liveOfContacts };
}

/**
 * Applies pause/resume/cancel/exit commands in order to the locked enrollments, as if one by one: a cancel
 * after a pause in the same batch sees the paused state.
 */
export function planTransitions(
  commands: readonly TransitionCommand[],
  locked: readonly LockedEnrollment[],
  ctx: { now: Date; newId: () => string },
): TransitionPlan {
  const plan: TransitionPlan = {
    preferences: [],
    updates: [],
    history: [],
    lifecycle: [],
    noops: [],
    funnel: [],
  };
  const current = new Map(locked.map((e) => [e.id, { ...e }]));
  for (const command of commands) {
    if (command.kind === 'opt_out' || command.kind === 'opt_in') {
      plan.preferences.push({
        accountId: command.accountId,
        contactId: command.contactId,
        optedOut: command.kind === 'opt_out',
        at: new Date(command.requestedAt),
        requestId: command.commandId,
        cause: command.provenance.eventType,
      });
    }
    if (command.kind === 'opt_in') continue;
    const request = transitionRequest(command);
    const targets = addressed(command, [...current.values()]);
    if (targets.length === 0) plan.noops.push(noopOf(command, 'no enrollment addressed'));
    for (const enrollment of targets) {
      const outcome = decideTransition(enrollment, request, ctx.now);
      if (outcome.kind === 'noop') {
        plan.noops.push(noopOf(command, outcome.why));
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
        details: { requestId: command.commandId, provenance: compactProvenance(command.provenance) },
        at: ctx.now,
      });
      plan.lifecycle.push(
        transitionLifecycleEvent(enrollment, {
          id: ctx.newId(),
          type: outcome.lifecycle,
          requestId: command.commandId,
          cause: outcome.cause,
          at: ctx.now,
        }),
      );
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
  plan.funnel = funnelOfUpdates(plan.updates, locked);
  return plan;
}

/** Each changed enrollment moves once in the funnel, however many commands of the batch changed it. */
function funnelOfUpdates(
  updates: readonly TransitionRow[],
  locked: readonly LockedEnrollment[],
): FunnelCount[] {
  const before = new Map(locked.map((e) => [e.id, e]));
  return funnelCountsOf(
    updates.flatMap((update) => {
      const was = before.get(update.id);
      if (!was) return [];
      return [
        {
          accountId: was.accountId,
          sequenceId: was.sequenceId,
          sequenceVersion: was.sequenceVersion,
          from: { state: was.state, nextStepIndex: was.nextStepIndex },
          to: { state: update.toState, nextStepIndex: update.nextStepIndex, endReason: update.endReason },
          sentStep: null,
        },
      ];
    }),
  );
}
