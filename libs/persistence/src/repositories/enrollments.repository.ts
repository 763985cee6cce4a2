import { liveKeyParams } from '../live-key-params';
import type { DataSource, EntityManager } from 'typeorm';
import {
  compactProvenance,
  liveKeyString,
  type DecidedRequest,
  type DecisionLedger,
  type DecisionRecord,
  type LiveKey,
  type NewEnrollment,
} from '@cadence/domain';
import { bulkInsert } from '../bulk-insert';
import { DecisionFactsRepository } from './decision-facts.repository';
import { isUniqueViolation } from '../database-errors';

type AccountScoped = { accountId: string; value: string };

/**
 * True for the error of inserting a second live enrollment for one key: the partial unique index, backstop of
 * "one active or paused enrollment", refused it because another transaction committed one first.
 */
export const isLiveEnrollmentConflict = (error: unknown): boolean =>
  isUniqueViolation(error, 'enrollments_one_live_per_target');

/** Reads and batched writes of enrollments and of the decisions that created (or refused) them. */
export class EnrollmentsRepository implements DecisionLedger {
  readonly facts: DecisionFactsRepository;

  constructor(private readonly db: DataSource) {
    this.facts = new DecisionFactsRepository(db);
  }

  findOptedOut(contacts: ReadonlyArray<{ accountId: string; contactId: string }>): Promise<Set<string>> {
    return this.facts.findOptedOut(contacts);
  }

  findLastEnded(keys: readonly LiveKey[]): Promise<Map<string, Date>> {
    return this.facts.findLastEnded(keys);
  }

  findDailyCounts(
    keys: ReadonlyArray<{ accountId: string; sequenceId: string; day: string }>,
  ): Promise<Map<string, number>> {
    return this.facts.findDailyCounts(keys);
  }

  // Batched key lookups probe an index once per key (LATERAL ... LIMIT 1): a plain join against unnest()
  // lets the planner hash the whole table instead, which costs more with every row the table gains.

  /**
   * Requests already decided (a redelivered command is not decided twice), keyed `accountId|requestId`, with
   * what their lifecycle event needs so that it can be published again.
   */
  async findDecidedRequests(requests: readonly AccountScoped[]): Promise<Map<string, DecidedRequest>> {
    if (requests.length === 0) return new Map();
    const rows: DecidedRequest[] = await this.db.query(
      `SELECT d.account_id AS "accountId", d.request_id AS "requestId", d.contact_id AS "contactId",
              d.sequence_id AS "sequenceId", d.outcome, d.reason, d.enrollment_id AS "enrollmentId",
              d.sequence_version AS "sequenceVersion", d.decided_at AS "decidedAt"
         FROM unnest($1::uuid[], $2::text[]) AS r(account_id, request_id)
         CROSS JOIN LATERAL (
           SELECT d.*, (SELECT e.sequence_version FROM enrollments e WHERE e.id = d.enrollment_id) AS sequence_version
             FROM enrollment_decisions d
            WHERE d.account_id = r.account_id AND d.request_id = r.request_id
            LIMIT 1) d`,
      [requests.map((r) => r.accountId), requests.map((r) => r.value)],
    );
    return new Map(rows.map((row) => [`${row.accountId}|${row.requestId}`, row]));
  }

  /** The first decision's request id for each idempotency key seen before. */
  async findFirstRequestByKey(keys: readonly AccountScoped[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows: Array<{ account_id: string; idempotency_key: string; request_id: string }> =
      await this.db.query(
        `SELECT d.account_id, d.idempotency_key, d.request_id
           FROM unnest($1::uuid[], $2::text[]) AS k(account_id, idempotency_key)
          CROSS JOIN LATERAL (
            SELECT d.account_id, d.idempotency_key, d.request_id FROM enrollment_decisions d
             WHERE d.account_id = k.account_id AND d.idempotency_key = k.idempotency_key
               AND d.reason <> 'idempotent_replay'
             LIMIT 1) d`,
        [keys.map((k) => k.accountId), keys.map((k) => k.value)],
      );
    return new Map(rows.map((row) => [`${row.account_id}|${row.idempotency_key}`, row.request_id]));
  }

  /** The live (active or paused) enrollment for each key that has one. */
  async findLive(keys: readonly LiveKey[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows: Array<LiveKey & { id: string }> = await this.db.query(
      `SELECT e.id, k.account_id AS "accountId", k.sequence_id AS "sequenceId", k.contact_id AS "contactId",
              k.target_type AS "targetType", k.target_id AS "targetId"
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])
           AS k(account_id, sequence_id, contact_id, target_type, target_id)
        CROSS JOIN LATERAL (
          SELECT e.id FROM enrollments e
           WHERE e.account_id = k.account_id AND e.sequence_id = k.sequence_id AND e.contact_id = k.contact_id
             AND e.target_type = k.target_type AND e.target_id = k.target_id AND e.state IN ('active', 'paused')
           LIMIT 1) e`,
      liveKeyParams(keys),
    );
    return new Map(rows.map((row) => [liveKeyString(row), row.id]));
  }

  async insertEnrollments(tx: EntityManager, rows: readonly NewEnrollment[]): Promise<void> {
    await bulkInsert(
      tx,
      'enrollments',
      [
        { name: 'id', type: 'uuid', value: (r: NewEnrollment) => r.id },
        { name: 'account_id', type: 'uuid', value: (r) => r.accountId },
        { name: 'sequence_id', type: 'uuid', value: (r) => r.sequenceId },
        { name: 'sequence_version', type: 'int', value: (r) => r.sequenceVersion },
        { name: 'contact_id', type: 'text', value: (r) => r.contactId },
        { name: 'target_type', type: 'text', value: (r) => r.targetType },
        { name: 'target_id', type: 'text', value: (r) => r.targetId },
        { name: 'method', type: 'text', value: (r) => r.method },
        { name: 'state', type: 'text', value: () => 'active' },
        { name: 'next_step_due_at', type: 'timestamptz', value: (r) => r.nextStepDueAt },
        { name: 'request_id', type: 'text', value: (r) => r.requestId },
        { name: 'created_at', type: 'timestamptz', value: (r) => r.createdAt },
        { name: 'updated_at', type: 'timestamptz', value: (r) => r.createdAt },
        { name: 'trace_parent', type: 'text', value: (r) => r.traceParent ?? null },
      ],
      rows,
    );
  }

  /**
   * Records the decisions of requests not decided before and returns how many that was: a request id that
   * already has a decision keeps it (the primary key is the backstop of "one decision per request").
   */
  /** The request ids inserted now (one decided before keeps its row). */
  async insertDecisions(tx: EntityManager, rows: readonly DecisionRecord[]): Promise<Set<string>> {
    const inserted = await bulkInsert(
      tx,
      'enrollment_decisions',
      [
        { name: 'account_id', type: 'uuid', value: (r: DecisionRecord) => r.accountId },
        { name: 'request_id', type: 'text', value: (r) => r.requestId },
        { name: 'idempotency_key', type: 'text', value: (r) => r.idempotencyKey },
        { name: 'contact_id', type: 'text', value: (r) => r.contactId },
        { name: 'sequence_id', type: 'uuid', value: (r) => r.sequenceId },
        { name: 'target_type', type: 'text', value: (r) => r.targetType },
        { name: 'target_id', type: 'text', value: (r) => r.targetId },
        { name: 'method', type: 'text', value: (r) => r.method },
        { name: 'provenance', type: 'jsonb', value: (r) => JSON.stringify(compactProvenance(r.provenance)) },
        { name: 'outcome', type: 'text', value: (r) => r.outcome },
        { name: 'reason', type: 'text', value: (r) => r.reason },
        { name: 'enrollment_id', type: 'uuid', value: (r) => r.enrollmentId },
        { name: 'related_id', type: 'text', value: (r) => r.relatedId },
        { name: 'decided_at', type: 'timestamptz', value: (r) => r.decidedAt },
        { name: 'bulk_id', type: 'uuid', value: (r) => r.provenance.bulkId },
        { name: 'detail', type: 'text', value: (r) => r.detail },
      ],
      rows,
      'ON CONFLICT (account_id, request_id) DO NOTHING RETURNING request_id',
    );
    return new Set((inserted as Array<{ request_id: string }>).map((row) => row.request_id));
  }
}
