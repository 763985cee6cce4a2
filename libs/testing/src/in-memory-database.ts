import type { EnrollmentLifecycleEvent } from '@cadence/contracts';
import {
  type FunnelCount,
  type SendWindow,
  LiveEnrollmentConflict,
  isLive,
  liveKeyString,
  type AccountDirectory,
  type AccountFacts,
  type AccountScoped,
  type BatchSequence,
  type ContactPreference,
  type DailyCount,
  type DecidedRequest,
  type DecisionLedger,
  type DecisionRecord,
  type ClaimedStep,
  type EnrollmentState,
  type HistoryRecord,
  type LiveKey,
  type LockedEnrollment,
  type NewEnrollment,
  type SequenceCatalog,
  type SequenceDefinition,
  type TransactionStores,
  type TransitionNoop,
  type UnitOfWork,
} from '@cadence/domain';

/** An enrollment as the in-memory database keeps it. */
export interface StoredEnrollment extends NewEnrollment {
  state: EnrollmentState;
  nextStepIndex: number;
  rowVersion: number;
  endReason: string | null;
  endedAt: Date | null;
  /** Why the step-runner parked its step (then `nextStepDueAt` is null); cleared when it gets a due time. */
  parkedReason: string | null;
}

interface Tables {
  decisions: DecisionRecord[];
  enrollments: StoredEnrollment[];
  history: HistoryRecord[];
  /** The funnel counter changes, as added (unsummed across transactions). */
  funnel: FunnelCount[];
  outbox: EnrollmentLifecycleEvent[];
  /** The latest opt-out or opt-in per contact. */
  preferences: ContactPreference[];
  dailyCounts: Array<Omit<DailyCount, 'cap'>>;
  /** Transitions the api accepted that changed nothing. */
  unchanged: TransitionNoop[];
  /** Committed signals that a step is due now (the step-runners' fast path). */
  dueNowSignals: number;
}

/**
 * The domain's storage ports over plain arrays, for unit tests of the use cases: the same rules the Postgres
 * schema enforces (one decision per request, one live enrollment per key, row versions), and transactions that
 * roll back when their work throws. `beforeNextTransaction` lets a test act as another process that commits
 * between a use case's reads and its transaction.
 */
export class InMemoryDatabase implements DecisionLedger, UnitOfWork {
  readonly accounts = new Map<string, AccountFacts & { timeZone: string; sendWindow?: SendWindow | null }>();
  readonly sequences = new Map<string, BatchSequence>();
  /** `sequenceId|version` -> the definition of that published version. */
  readonly versions = new Map<string, SequenceDefinition>();
  tables: Tables = {
    decisions: [],
    enrollments: [],
    history: [],
    funnel: [],
    outbox: [],
    preferences: [],
    dailyCounts: [],
    unchanged: [],
    dueNowSignals: 0,
  };
  transactions = { committed: 0, rolledBack: 0 };
  private interleaved: Array<() => void> = [];

  readonly accountDirectory: AccountDirectory = {
    findMany: async (ids) => pick(this.accounts, ids),
  };

  readonly sequenceCatalog: SequenceCatalog = {
    findMany: async (ids) => pick(this.sequences, ids),
  };

  /** Runs `action` when the next transaction begins, as if another process had committed it just before. */
  beforeNextTransaction(action: () => void): void {
    this.interleaved.push(action);
  }

  addAccount(
    id: string,
    facts: Partial<AccountFacts & { timeZone: string; sendWindow: SendWindow | null }> = {},
  ): void {
    this.accounts.set(id, { automationModuleEnabled: true, maestroEnabled: true, timeZone: 'UTC', ...facts });
  }

  /** A sequence published at `version` and active unless `facts` say otherwise. */
  addSequence(
    sequence: { id: string; accountId: string; definition: SequenceDefinition },
    facts: { version?: number; active?: boolean } = {},
  ): void {
    const version = facts.version ?? 1;
    this.sequences.set(sequence.id, {
      ...sequence,
      active: facts.active ?? true,
      publishedVersion: version,
    });
    this.versions.set(`${sequence.id}|${version}`, sequence.definition);
  }

  async findDecidedRequests(requests: readonly AccountScoped[]): Promise<Map<string, DecidedRequest>> {
    const found = new Map<string, DecidedRequest>();
    for (const { accountId, value } of requests) {
      const decision = this.tables.decisions.find((d) => d.accountId === accountId && d.requestId === value);
      if (!decision) continue;
      const enrollment = this.tables.enrollments.find((e) => e.id === decision.enrollmentId);
      found.set(`${accountId}|${value}`, {
        accountId,
        requestId: value,
        contactId: decision.contactId,
        sequenceId: decision.sequenceId,
        outcome: decision.outcome,
        reason: decision.reason,
        enrollmentId: decision.enrollmentId,
        sequenceVersion: enrollment?.sequenceVersion ?? null,
        decidedAt: decision.decidedAt,
      });
    }
    return found;
  }

  async findFirstRequestByKey(keys: readonly AccountScoped[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const { accountId, value } of keys) {
      const first = this.tables.decisions.find(
        (d) => d.accountId === accountId && d.idempotencyKey === value && d.reason !== 'idempotent_replay',
      );
      if (first) found.set(`${accountId}|${value}`, first.requestId);
    }
    return found;
  }

  async findLive(keys: readonly LiveKey[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const live = this.liveEnrollment(key);
      if (live) found.set(liveKeyString(key), live.id);
    }
    return found;
  }

  async findOptedOut(
    contacts: ReadonlyArray<{ accountId: string; contactId: string }>,
  ): Promise<Set<string>> {
    const optedOut = this.tables.preferences.filter(
      (p) => p.optedOut && contacts.some((c) => c.accountId === p.accountId && c.contactId === p.contactId),
    );
    return new Set(optedOut.map((p) => `${p.accountId}|${p.contactId}`));
  }

  async findLastEnded(keys: readonly LiveKey[]): Promise<Map<string, Date>> {
    const found = new Map<string, Date>();
    for (const key of keys) {
      const wanted = liveKeyString(key);
      for (const e of this.tables.enrollments) {
        const last = found.get(wanted);
        if (e.endedAt && liveKeyString(e) === wanted && (!last || last < e.endedAt))
          found.set(wanted, e.endedAt);
      }
    }
    return found;
  }

  async findDailyCounts(
    keys: ReadonlyArray<{ accountId: string; sequenceId: string; day: string }>,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const c of this.tables.dailyCounts) {
      if (keys.some((k) => k.sequenceId === c.sequenceId && k.day === c.day))
        found.set(`${c.sequenceId}|${c.day}`, c.enrolled);
    }
    return found;
  }

  async run<T>(work: (tx: TransactionStores) => Promise<T>): Promise<T> {
    for (const action of this.interleaved.splice(0)) action();
    const before = structuredClone(this.tables);
    try {
      const result = await work(this.stores());
      this.transactions.committed++;
      return result;
    } catch (error) {
      this.tables = before;
      this.transactions.rolledBack++;
      throw error;
    }
  }

  /** Stores an enrollment as a committed decision would have (another lane, or an earlier run). */
  insertLive(enrollment: NewEnrollment): void {
    this.tables.enrollments.push({
      ...enrollment,
      state: 'active',
      nextStepIndex: 0,
      rowVersion: 1,
      endReason: null,
      endedAt: null,
      parkedReason: null,
    });
  }

  private liveEnrollment(key: LiveKey): StoredEnrollment | undefined {
    const wanted = liveKeyString(key);
    return this.tables.enrollments.find((e) => isLive(e.state) && liveKeyString(e) === wanted);
  }

  private locked(enrollment: StoredEnrollment): LockedEnrollment {
    const definition = this.versions.get(`${enrollment.sequenceId}|${enrollment.sequenceVersion}`);
    if (!definition) throw new Error(`no version ${enrollment.sequenceVersion} of ${enrollment.sequenceId}`);
    return {
      id: enrollment.id,
      accountId: enrollment.accountId,
      contactId: enrollment.contactId,
      sequenceId: enrollment.sequenceId,
      sequenceVersion: enrollment.sequenceVersion,
      targetType: enrollment.targetType,
      targetId: enrollment.targetId,
      state: enrollment.state,
      nextStepIndex: enrollment.nextStepIndex,
      nextStepDueAt: enrollment.nextStepDueAt,
      rowVersion: enrollment.rowVersion,
      createdAt: enrollment.createdAt,
      definition,
    };
  }

  private stores(): TransactionStores {
    const tables = (): Tables => this.tables;
    const byId = (id: string) => tables().enrollments.find((e) => e.id === id);
    return {
      decisions: {
        insert: async (rows) => {
          const fresh = rows.filter(
            (row) =>
              !tables().decisions.some((d) => d.accountId === row.accountId && d.requestId === row.requestId),
          );
          tables().decisions.push(...fresh);
          return new Set(fresh.map((row) => row.requestId));
        },
      },
      enrollments: {
        insert: async (rows) => {
          for (const row of rows) {
            if (this.liveEnrollment(row)) throw new LiveEnrollmentConflict();
            this.insertLive(row);
          }
        },
        lockByIds: async (keys) =>
          tables()
            .enrollments.filter((e) =>
              keys.some((k) => k.accountId === e.accountId && k.enrollmentId === e.id),
            )
            .map((e) => this.locked(e)),
        lockLiveOfContacts: async (keys) =>
          tables()
            .enrollments.filter(
              (e) =>
                isLive(e.state) &&
                keys.some((k) => k.accountId === e.accountId && k.contactId === e.contactId),
            )
            .map((e) => this.locked(e)),
        applyTransitions: async (rows, now) => {
          for (const row of rows) {
            const enrollment = byId(row.id);
            if (!enrollment || enrollment.rowVersion !== row.rowVersion)
              throw new Error(`enrollment ${row.id} changed since it was locked`);
            Object.assign(enrollment, {
              state: row.toState,
              nextStepIndex: row.nextStepIndex,
              nextStepDueAt: row.nextStepDueAt,
              rowVersion: enrollment.rowVersion + 1,
              endReason: row.endReason ?? enrollment.endReason,
              endedAt: row.endReason ? now : enrollment.endedAt,
              parkedReason: row.nextStepDueAt === null ? enrollment.parkedReason : null,
            });
          }
        },
      },
      history: { append: async (rows) => void tables().history.push(...rows) },
      funnel: { add: async (rows) => void tables().funnel.push(...rows) },
      lifecycle: { append: async (events) => void tables().outbox.push(...events) },
      dueSteps: {
        claim: async (now, limit) =>
          tables()
            .enrollments.filter((e) => e.state === 'active' && e.nextStepDueAt && e.nextStepDueAt <= now)
            .sort((a, b) => Number(a.nextStepDueAt) - Number(b.nextStepDueAt))
            .slice(0, limit)
            .map((e): ClaimedStep => ({
              enrollmentId: e.id,
              accountId: e.accountId,
              contactId: e.contactId,
              sequenceId: e.sequenceId,
              sequenceVersion: e.sequenceVersion,
              stepIndex: e.nextStepIndex,
              targetType: e.targetType,
              targetId: e.targetId,
              dueAt: e.nextStepDueAt ?? now,
              definition: this.locked(e).definition,
              timeZone: this.accounts.get(e.accountId)?.timeZone ?? 'UTC',
              accountSendWindow: this.accounts.get(e.accountId)?.sendWindow ?? null,
              optedOut: tables().preferences.some(
                (p) => p.optedOut && p.accountId === e.accountId && p.contactId === e.contactId,
              ),
            })),
        advance: async (rows, now) => {
          for (const row of rows) {
            const enrollment = byId(row.enrollmentId);
            if (!enrollment || enrollment.state !== 'active') continue;
            Object.assign(enrollment, {
              state: row.state,
              nextStepIndex: row.nextStepIndex,
              nextStepDueAt: row.nextDueAt,
              rowVersion: enrollment.rowVersion + 1,
              endReason: row.endReason ?? enrollment.endReason,
              endedAt: row.endReason ? now : enrollment.endedAt,
            });
          }
        },
        defer: async (rows) => {
          for (const row of rows) {
            const enrollment = byId(row.enrollmentId);
            if (enrollment?.state === 'active') enrollment.nextStepDueAt = row.until;
          }
        },
        park: async (rows) => {
          for (const row of rows) {
            const enrollment = byId(row.enrollmentId);
            if (enrollment?.state !== 'active') continue;
            Object.assign(enrollment, {
              nextStepDueAt: null,
              parkedReason: row.reason,
              rowVersion: enrollment.rowVersion + 1,
            });
          }
        },
      },
      preferences: {
        apply: async (rows) => {
          for (const row of rows) {
            const same = (p: ContactPreference) =>
              p.accountId === row.accountId && p.contactId === row.contactId;
            const stored = tables().preferences.find(same);
            if (stored && stored.at > row.at) continue;
            tables().preferences = [...tables().preferences.filter((p) => !same(p)), row];
          }
        },
      },
      acceptedRequests: {
        markUnchanged: async (noops) => void tables().unchanged.push(...noops),
      },
      dueNow: { signal: async () => void tables().dueNowSignals++ },
      dailyCounts: {
        add: async (rows) => {
          const over: DailyCount[] = [];
          for (const row of rows) {
            const stored = tables().dailyCounts.find(
              (c) => c.sequenceId === row.sequenceId && c.day === row.day,
            );
            const counter = stored ?? { ...row, enrolled: 0 };
            if (!stored) tables().dailyCounts.push(counter);
            counter.enrolled += row.enrolled;
            if (counter.enrolled > row.cap) over.push(row);
          }
          return over;
        },
      },
    };
  }
}

function pick<T>(table: ReadonlyMap<string, T>, ids: readonly string[]): Map<string, T> {
  const found = new Map<string, T>();
  for (const id of ids) {
    const row = table.get(id);
    if (row) found.set(id, row);
  }
  return found;
}
