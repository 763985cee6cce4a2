import type { EnrollmentLifecycleEvent, OutboundMessageCommand } from '@cadence/contracts';
import type { BatchAccount, BatchSequence, DailyCount } from './plan-decision-batch';
import type { ContactPreference, TransitionNoop } from './plan-transitions';
import type {
  DecidedRequest,
  DecisionRecord,
  ClaimedStep,
  HistoryRecord,
  LockedEnrollment,
  NewEnrollment,
  StepAdvanceRow,
  StepDeferral,
  StepParking,
  TransitionRow,
} from './enrollment-records';
import type { FunnelCount } from './funnel-counts';
import type { LiveKey } from './live-key';

/*
 * The ports the use cases speak to. Each is an abstract class so that it is both the type and the dependency
 * token; adapters `implement` it (Postgres and Kafka in production, in-memory ones in unit tests).
 */

export type AccountScoped = { accountId: string; value: string };

/** Accounts as the decision sees them. */
export abstract class AccountDirectory {
  abstract findMany(ids: readonly string[]): Promise<ReadonlyMap<string, BatchAccount>>;
}

/** Sequences with their current published definition. */
export abstract class SequenceCatalog {
  abstract findMany(ids: readonly string[]): Promise<ReadonlyMap<string, BatchSequence>>;
}

/** What was decided before: stored decisions, first uses of idempotency keys, live enrollments. */
export abstract class DecisionLedger {
  /** Keyed `accountId|requestId`. */
  abstract findDecidedRequests(requests: readonly AccountScoped[]): Promise<Map<string, DecidedRequest>>;
  /** Keyed `accountId|idempotencyKey`, the first request's id. */
  abstract findFirstRequestByKey(keys: readonly AccountScoped[]): Promise<Map<string, string>>;
  /** Keyed by `liveKeyString`, the live enrollment's id. */
  abstract findLive(keys: readonly LiveKey[]): Promise<Map<string, string>>;
  /** `accountId|contactId` of those of these contacts who opted out. */
  abstract findOptedOut(
    contacts: ReadonlyArray<{ accountId: string; contactId: string }>,
  ): Promise<Set<string>>;
  /** Keyed by `liveKeyString`, when the key's last ended (completed, exited, cancelled) enrollment ended. */
  abstract findLastEnded(keys: readonly LiveKey[]): Promise<Map<string, Date>>;
  /** Keyed `sequenceId|day`, the enrollments each capped sequence took that day. */
  abstract findDailyCounts(
    keys: ReadonlyArray<{ accountId: string; sequenceId: string; day: string }>,
  ): Promise<Map<string, number>>;
}

/** Opt-outs and opt-ins: the latest change per contact wins. */
export interface ContactPreferenceStore {
  apply(rows: readonly ContactPreference[]): Promise<void>;
}

/** Requests the api accepted: a pause, resume or cancel that changed nothing is answered with why. */
export interface AcceptedRequestStore {
  markUnchanged(noops: readonly TransitionNoop[]): Promise<void>;
}

/** Tells the step-runners, once this transaction commits, that a step is due now (they skip their wait). */
export interface DueNowSignal {
  signal(): Promise<void>;
}

/** Per capped sequence and day, how many enrollments were taken. */
export interface DailyCountStore {
  /** Adds the counts; returns those now above their cap (another lane's batch took the room first). */
  add(rows: readonly DailyCount[]): Promise<DailyCount[]>;
}

/** Decisions, one per request. */
export interface DecisionStore {
  /** Returns the request ids recorded now: a request decided before keeps its first decision. */
  insert(rows: readonly DecisionRecord[]): Promise<ReadonlySet<string>>;
}

/** Enrollments: created by decisions, locked and changed by transitions. */
export interface EnrollmentStore {
  /** Throws a LiveEnrollmentConflict when another transaction holds one of the live keys. */
  insert(rows: readonly NewEnrollment[]): Promise<void>;
  lockByIds(keys: ReadonlyArray<{ accountId: string; enrollmentId: string }>): Promise<LockedEnrollment[]>;
  lockLiveOfContacts(
    keys: ReadonlyArray<{ accountId: string; contactId: string }>,
  ): Promise<LockedEnrollment[]>;
  /** Throws if any row changed since it was locked. */
  applyTransitions(rows: readonly TransitionRow[], now: Date): Promise<void>;
}

/** The history of enrollments: appended, never changed. */
export interface HistoryStore {
  append(rows: readonly HistoryRecord[]): Promise<void>;
}

/** The funnel projection: counter changes added in the transaction that moved the enrollments. */
export interface FunnelCountStore {
  add(rows: readonly FunnelCount[]): Promise<void>;
}

/** Lifecycle events written with the change, published after the commit by the outbox relay. */
export interface LifecycleOutbox {
  append(events: readonly EnrollmentLifecycleEvent[]): Promise<void>;
}

/** Due steps: claimed by one runner (others skip them), then advanced, deferred or parked. */
export interface DueStepStore {
  claim(now: Date, limit: number): Promise<ClaimedStep[]>;
  advance(rows: readonly StepAdvanceRow[], now: Date): Promise<void>;
  defer(rows: readonly StepDeferral[], now: Date): Promise<void>;
  /** Takes the steps out of the due index with their reason; their enrollments stay active. */
  park(rows: readonly StepParking[], now: Date): Promise<void>;
}

/** The stores of one transaction: what they write commits together, or not at all. */
export interface TransactionStores {
  decisions: DecisionStore;
  enrollments: EnrollmentStore;
  history: HistoryStore;
  funnel: FunnelCountStore;
  lifecycle: LifecycleOutbox;
  dueSteps: DueStepStore;
  preferences: ContactPreferenceStore;
  dailyCounts: DailyCountStore;
  acceptedRequests: AcceptedRequestStore;
  dueNow: DueNowSignal;
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export abstract class UnitOfWork {
  abstract run<T>(work: (tx: TransactionStores) => Promise<T>): Promise<T>;
}

/** Lifecycle events published now (after a commit; ids make a repeat harmless). */
export abstract class LifecyclePublisher {
  abstract publish(events: readonly EnrollmentLifecycleEvent[]): Promise<void>;
}

/** Channel commands for the messaging gateways. */
export abstract class OutboundCommandPublisher {
  abstract publish(commands: readonly OutboundMessageCommand[]): Promise<void>;
}

/** Another lane's batch took the last room under a sequence's daily cap first: decide again from fresh reads. */
export class DailyCapRace extends Error {
  constructor() {
    super("another lane's batch took the room left under a daily cap");
    this.name = 'DailyCapRace';
  }
}

/** Another transaction committed a live enrollment for one of the keys first. */
export class LiveEnrollmentConflict extends Error {
  constructor() {
    super('another transaction holds a live enrollment for one of these keys');
    this.name = 'LiveEnrollmentConflict';
  }
}
