import type { EnrollmentCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import {
  decideEnrollment,
  stepDueAt,
  type AccountFacts,
  type MaestroVerdict,
  type SequenceDefinition,
  type SequenceFacts,
} from '@cadence/domain';
import { decisionLifecycleEvent } from './decision-lifecycle-event';
import {
  liveKeyString,
  type DecisionRecord,
  type HistoryRecord,
  type NewEnrollment,
} from '@cadence/persistence';

export interface BatchFacts {
  accounts: Map<string, AccountFacts>;
  sequences: Map<string, SequenceFacts & { accountId: string }>;
  /** live key string -> enrollment id */
  live: Map<string, string>;
  /** accountId|idempotencyKey -> first request id */
  firstRequestByKey: Map<string, string>;
}

export interface DecisionBatchPlan {
  enrollments: NewEnrollment[];
  history: HistoryRecord[];
  decisions: DecisionRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
}

export interface PlanContext {
  now: Date;
  newId: () => string;
}

/** Who or what asked (rule, macro and agent, flow and node, ...), when anyone is named: kept in the history. */
function provenanceOf(command: EnrollmentCommand): { provenance?: Record<string, string> } {
  const named = Object.entries(command.provenance).filter(([, value]) => value !== null) as Array<
    [string, string]
  >;
  return named.length > 0 ? { provenance: Object.fromEntries(named) } : {};
}

/** The live key of an enroll command under its sequence's target rule (the contact itself when untargeted). */
export function liveKeyOf(command: EnrollmentCommand, definition: SequenceDefinition | null): string | null {
  if (!command.sequenceId) return null;
  const target = command.target ?? { type: 'contact' as const, id: command.contactId };
  if (definition && target.type !== definition.targetType) return null;
  return liveKeyString({
    accountId: command.accountId,
    sequenceId: command.sequenceId,
    contactId: command.contactId,
    targetType: target.type,
    targetId: target.id,
  });
}

/**
 * Decides a batch of enroll commands in order, as if one by one: an enrollment made earlier in the batch
 * makes a later request for the same key a duplicate, and the first use of an idempotency key answers the rest.
 */
export function planDecisionBatch(
  commands: readonly EnrollmentCommand[],
  facts: BatchFacts,
  ctx: PlanContext,
): DecisionBatchPlan {
  const plan: DecisionBatchPlan = { enrollments: [], history: [], decisions: [], lifecycle: [] };
  const live = new Map(facts.live);
  const firstRequestByKey = new Map(facts.firstRequestByKey);
  for (const command of commands) {
    const method = command.method!;
    const found = command.sequenceId ? facts.sequences.get(command.sequenceId) : undefined;
    const sequence = found && found.accountId === command.accountId ? found : null;
    const idempotency = command.idempotencyKey ? `${command.accountId}|${command.idempotencyKey}` : null;
    const earlier = idempotency ? firstRequestByKey.get(idempotency) : undefined;
    const liveKey = liveKeyOf(command, sequence?.definition ?? null);
    const decision = decideEnrollment({
      request: {
        requestId: command.commandId,
        contactId: command.contactId,
        method,
        target: command.target,
        maestroVerdict: (command.provenance.maestroVerdict as MaestroVerdict | null) ?? null,
      },
      account: facts.accounts.get(command.accountId) ?? null,
      sequence,
      liveEnrollmentId: liveKey ? (live.get(liveKey) ?? null) : null,
      earlierDecision: earlier ? { requestId: earlier } : null,
    });
    if (idempotency && !earlier) firstRequestByKey.set(idempotency, command.commandId);

    const target = decision.outcome === 'enrolled' ? decision.target : command.target;
    const enrollmentId = decision.outcome === 'enrolled' ? ctx.newId() : null;
    if (decision.outcome === 'enrolled' && enrollmentId && sequence?.definition && liveKey) {
      live.set(liveKey, enrollmentId);
      plan.enrollments.push({
        id: enrollmentId,
        accountId: command.accountId,
        sequenceId: sequence.id,
        sequenceVersion: decision.version,
        contactId: command.contactId,
        targetType: decision.target.type,
        targetId: decision.target.id,
        method,
        requestId: command.commandId,
        nextStepDueAt: stepDueAt(sequence.definition, 0, ctx.now),
        createdAt: ctx.now,
      });
      plan.history.push({
        accountId: command.accountId,
        enrollmentId,
        fromState: null,
        toState: 'active',
        cause: `enrolled:${method}`,
        stepIndex: null,
        details: { requestId: command.commandId, version: decision.version, ...provenanceOf(command) },
        at: ctx.now,
      });
    }
    plan.decisions.push({
      accountId: command.accountId,
      requestId: command.commandId,
      idempotencyKey: command.idempotencyKey,
      contactId: command.contactId,
      sequenceId: sequence ? sequence.id : null,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      method,
      provenance: command.provenance,
      outcome: decision.outcome,
      reason: decision.reason,
      enrollmentId,
      relatedId: decision.outcome === 'ignored' ? decision.relatedId : null,
      decidedAt: ctx.now,
    });
    plan.lifecycle.push(
      decisionLifecycleEvent({
        accountId: command.accountId,
        requestId: command.commandId,
        contactId: command.contactId,
        sequenceId: sequence ? sequence.id : null,
        outcome: decision.outcome,
        reason: decision.reason,
        enrollmentId,
        sequenceVersion: decision.outcome === 'enrolled' ? decision.version : null,
        decidedAt: ctx.now,
      }),
    );
  }
  return plan;
}
