import type { EnrollCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import { decideEnrollment, type AccountFacts, type SequenceFacts } from './enrollment-decision';
import type { DecisionRecord, HistoryRecord, NewEnrollment } from './enrollment-records';
import { decisionLifecycleEvent } from './lifecycle-events';
import { commandTarget, liveKeyOf, liveKeyString, type LiveKey } from './live-key';
import { compactProvenance } from './provenance';
import { stepDueAt } from './schedule';

export type BatchSequence = SequenceFacts & { accountId: string };

export interface BatchFacts {
  accounts: ReadonlyMap<string, AccountFacts>;
  sequences: ReadonlyMap<string, BatchSequence>;
  /** live key string -> enrollment id */
  live: ReadonlyMap<string, string>;
  /** accountId|idempotencyKey -> first request id */
  firstRequestByKey: ReadonlyMap<string, string>;
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

/** The account's own sequence the command names, or null (unknown, or another account's). */
function sequenceOf(command: EnrollCommand, sequences: BatchFacts['sequences']): BatchSequence | null {
  const found = sequences.get(command.sequenceId);
  return found && found.accountId === command.accountId ? found : null;
}

/**
 * The live keys whose current enrollment the batch must read before it is decided (those of commands whose
 * target fits their sequence), given the sequences read so far.
 */
export function liveKeysToRead(
  commands: readonly EnrollCommand[],
  sequences: BatchFacts['sequences'],
): LiveKey[] {
  const keys = new Map<string, LiveKey>();
  for (const command of commands) {
    const key = liveKeyOf(command, sequenceOf(command, sequences)?.definition ?? null);
    if (key) keys.set(liveKeyString(key), key);
  }
  return [...keys.values()];
}

const idempotencyKeyOf = (command: EnrollCommand): string | null =>
  command.idempotencyKey ? `${command.accountId}|${command.idempotencyKey}` : null;

/**
 * Decides a batch of enroll commands in order, as if one by one: an enrollment made earlier in the batch
 * makes a later request for the same key a duplicate, and the first use of an idempotency key answers the rest.
 */
export function planDecisionBatch(
  commands: readonly EnrollCommand[],
  facts: BatchFacts,
  ctx: PlanContext,
): DecisionBatchPlan {
  const plan: DecisionBatchPlan = { enrollments: [], history: [], decisions: [], lifecycle: [] };
  const live = new Map(facts.live);
  const firstRequestByKey = new Map(facts.firstRequestByKey);
  for (const command of commands) {
    const sequence = sequenceOf(command, facts.sequences);
    const idempotency = idempotencyKeyOf(command);
    const earlier = idempotency ? firstRequestByKey.get(idempotency) : undefined;
    const liveKey = liveKeyOf(command, sequence?.definition ?? null);
    const decision = decideEnrollment({
      request: {
        requestId: command.commandId,
        contactId: command.contactId,
        method: command.method,
        target: commandTarget(command),
        maestroVerdict: command.provenance.maestroVerdict,
      },
      account: facts.accounts.get(command.accountId) ?? null,
      sequence,
      liveEnrollmentId: liveKey ? (live.get(liveKeyString(liveKey)) ?? null) : null,
      earlierDecision: earlier ? { requestId: earlier } : null,
    });
    if (idempotency && !earlier) firstRequestByKey.set(idempotency, command.commandId);

    let enrollmentId: string | null = null;
    if (decision.outcome === 'enrolled' && sequence?.definition && liveKey) {
      enrollmentId = ctx.newId();
      live.set(liveKeyString(liveKey), enrollmentId);
      plan.enrollments.push({
        id: enrollmentId,
        accountId: command.accountId,
        sequenceId: sequence.id,
        sequenceVersion: decision.version,
        contactId: command.contactId,
        targetType: decision.target.type,
        targetId: decision.target.id,
        method: command.method,
        requestId: command.commandId,
        nextStepDueAt: stepDueAt(sequence.definition, 0, ctx.now),
        createdAt: ctx.now,
      });
      const provenance = compactProvenance(command.provenance);
      plan.history.push({
        accountId: command.accountId,
        enrollmentId,
        fromState: null,
        toState: 'active',
        cause: `enrolled:${command.method}`,
        stepIndex: null,
        details: {
          requestId: command.commandId,
          version: decision.version,
          ...(Object.keys(provenance).length > 0 ? { provenance } : {}),
        },
        at: ctx.now,
      });
    }
    const target = decision.outcome === 'enrolled' ? decision.target : command.target;
    const decided = {
      accountId: command.accountId,
      requestId: command.commandId,
      contactId: command.contactId,
      sequenceId: sequence ? sequence.id : null,
      outcome: decision.outcome,
      reason: decision.reason,
      enrollmentId,
      decidedAt: ctx.now,
    };
    plan.decisions.push({
      ...decided,
      idempotencyKey: command.idempotencyKey,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      method: command.method,
      provenance: command.provenance,
      relatedId: decision.outcome === 'ignored' ? decision.relatedId : null,
    });
    plan.lifecycle.push(
      decisionLifecycleEvent({
        ...decided,
        sequenceVersion: decision.outcome === 'enrolled' ? decision.version : null,
      }),
    );
  }
  return plan;
}
