import type { EnrollCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import { decideEnrollment, type AccountFacts, type SequenceFacts } from './enrollment-decision';
import type { DecisionRecord, HistoryRecord, NewEnrollment } from './enrollment-records';
import { funnelCountsOf, type FunnelCount } from './funnel-counts';
import { decisionLifecycleEvent } from './lifecycle-events';
import { commandTarget, liveKeyOf, liveKeyString, type LiveKey } from './live-key';
import { compactProvenance } from './provenance';
import { localDay } from './local-day';
import { stepDueAt } from './schedule';

export type BatchSequence = SequenceFacts & { accountId: string };
/** An account as the batch sees it: its flags, and the time zone its days (for daily caps) are counted in. */
export type BatchAccount = AccountFacts & { timeZone: string };

export interface BatchFacts {
  accounts: ReadonlyMap<string, BatchAccount>;
  sequences: ReadonlyMap<string, BatchSequence>;
  /** live key string -> enrollment id */
  live: ReadonlyMap<string, string>;
  /** accountId|idempotencyKey -> first request id */
  firstRequestByKey: ReadonlyMap<string, string>;
  /** `accountId|contactId` of the contacts opted out. */
  optedOut: ReadonlySet<string>;
  /** live key string -> when its last enrollment ended (read for sequences that limit re-entry). */
  lastEnded: ReadonlyMap<string, Date>;
  /** `sequenceId|day` -> enrollments the sequence took that day (read for capped sequences). */
  enrolledOnDay: ReadonlyMap<string, number>;
}

/** New enrollments of a capped sequence on one local day, added to its counter with the batch. */
export interface DailyCount {
  accountId: string;
  sequenceId: string;
  day: string;
  enrolled: number;
  /** The sequence's cap: the counter must not pass it once other lanes' batches are added. */
  cap: number;
}

export interface DecisionBatchPlan {
  enrollments: NewEnrollment[];
  history: HistoryRecord[];
  decisions: DecisionRecord[];
  lifecycle: EnrollmentLifecycleEvent[];
  dailyCounts: DailyCount[];
  /** The funnel's counters the new enrollments move (each entered step 0 of its version). */
  funnel: FunnelCount[];
}

export const contactKeyOf = (key: { accountId: string; contactId: string }): string =>
  `${key.accountId}|${key.contactId}`;
const dayKey = (sequenceId: string, day: string): string => `${sequenceId}|${day}`;

/** The contacts whose opt-out the batch must read. */
export const contactsToRead = (
  commands: readonly EnrollCommand[],
): Array<{ accountId: string; contactId: string }> => [
  ...new Map(
    commands.map((c) => [contactKeyOf(c), { accountId: c.accountId, contactId: c.contactId }]),
  ).values(),
];

/** The live keys whose last ended enrollment the batch must read: those of sequences that limit re-entry. */
export function endedKeysToRead(
  commands: readonly EnrollCommand[],
  sequences: BatchFacts['sequences'],
): LiveKey[] {
  const limited = commands.filter((command) => {
    const policy = sequenceOf(command, sequences)?.definition?.reentry.policy;
    return policy !== undefined && policy !== 'always';
  });
  return liveKeysToRead(limited, sequences);
}

/** The (sequence, local day) counters the batch must read: those of capped sequences, today in their account. */
export function dailyCountsToRead(
  commands: readonly EnrollCommand[],
  facts: Pick<BatchFacts, 'sequences' | 'accounts'>,
  now: Date,
): Array<{ accountId: string; sequenceId: string; day: string }> {
  const keys = new Map<string, { accountId: string; sequenceId: string; day: string }>();
  for (const command of commands) {
    const sequence = sequenceOf(command, facts.sequences);
    const account = facts.accounts.get(command.accountId);
    if (!sequence?.definition?.dailyCap || !account) continue;
    const day = localDay(now, account.timeZone);
    keys.set(dayKey(sequence.id, day), { accountId: command.accountId, sequenceId: sequence.id, day });
  }
  return [...keys.values()];
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
  const plan: DecisionBatchPlan = {
    enrollments: [],
    history: [],
    decisions: [],
    lifecycle: [],
    dailyCounts: [],
    funnel: [],
  };
  const live = new Map(facts.live);
  const firstRequestByKey = new Map(facts.firstRequestByKey);
  const counted = new Map<string, DailyCount>();
  for (const command of commands) {
    const sequence = sequenceOf(command, facts.sequences);
    const account = facts.accounts.get(command.accountId);
    const idempotency = idempotencyKeyOf(command);
    const earlier = idempotency ? firstRequestByKey.get(idempotency) : undefined;
    const liveKey = liveKeyOf(command, sequence?.definition ?? null);
    const cap = sequence?.definition?.dailyCap;
    const day = cap && account ? localDay(ctx.now, account.timeZone) : null;
    const dayCount = sequence && day ? counted.get(dayKey(sequence.id, day)) : undefined;
    const capRemaining =
      cap && sequence && day
        ? cap - (facts.enrolledOnDay.get(dayKey(sequence.id, day)) ?? 0) - (dayCount?.enrolled ?? 0)
        : null;
    const decision = decideEnrollment({
      request: {
        requestId: command.commandId,
        contactId: command.contactId,
        method: command.method,
        target: commandTarget(command),
        maestroVerdict: command.provenance.maestroVerdict,
      },
      account: account ?? null,
      sequence,
      liveEnrollmentId: liveKey ? (live.get(liveKeyString(liveKey)) ?? null) : null,
      earlierDecision: earlier ? { requestId: earlier } : null,
      optedOut: facts.optedOut.has(contactKeyOf(command)),
      lastEndedAt: liveKey ? (facts.lastEnded.get(liveKeyString(liveKey)) ?? null) : null,
      capRemaining,
      now: ctx.now,
    });
    if (idempotency && !earlier) firstRequestByKey.set(idempotency, command.commandId);

    let enrollmentId: string | null = null;
    if (decision.outcome === 'enrolled' && sequence?.definition && liveKey) {
      enrollmentId = ctx.newId();
      live.set(liveKeyString(liveKey), enrollmentId);
      if (day) {
        const entry = dayCount ?? {
          accountId: command.accountId,
          sequenceId: sequence.id,
          day,
          enrolled: 0,
          cap: cap ?? 0,
        };
        entry.enrolled++;
        counted.set(dayKey(sequence.id, day), entry);
      }
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
      // The sequence the request named, found or not: "why" lookups by contact and sequence find it either way.
      sequenceId: command.sequenceId,
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
      detail: null,
    });
    plan.lifecycle.push(
      decisionLifecycleEvent({
        ...decided,
        sequenceVersion: decision.outcome === 'enrolled' ? decision.version : null,
      }),
    );
  }
  plan.dailyCounts = [...counted.values()];
  plan.funnel = funnelCountsOf(
    plan.enrollments.map((e) => ({
      accountId: e.accountId,
      sequenceId: e.sequenceId,
      sequenceVersion: e.sequenceVersion,
      from: null,
      to: { state: 'active', nextStepIndex: 0, endReason: null },
      sentStep: null,
    })),
  );
  return plan;
}
