import type { DataSource } from 'typeorm';
import type { DecisionView, EnrollmentFilter, EnrollmentView, HistoryView } from '@cadence/domain';

const ENROLLMENT_COLUMNS = `id, sequence_id AS "sequenceId", sequence_version AS "sequenceVersion",
  contact_id AS "contactId", target_type AS "targetType", target_id AS "targetId", method, state,
  next_step_index AS "nextStepIndex", next_step_due_at AS "nextStepDueAt", request_id AS "requestId",
  end_reason AS "endReason", parked_reason AS "parkedReason", created_at AS "createdAt", updated_at AS "updatedAt", ended_at AS "endedAt"`;

const DECISION_COLUMNS = `request_id AS "requestId", idempotency_key AS "idempotencyKey", contact_id AS "contactId",
  sequence_id AS "sequenceId", target_type AS "targetType", target_id AS "targetId", method, provenance, outcome,
  reason, enrollment_id AS "enrollmentId", related_id AS "relatedId", detail, decided_at AS "decidedAt"`;

/** The read side for the API: every query takes the account first. */
export class EnrollmentQueriesRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(accountId: string, filter: EnrollmentFilter): Promise<EnrollmentView[]> {
    const where = ['account_id = $1'];
    const params: unknown[] = [accountId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.sequenceId) add('sequence_id = ?', filter.sequenceId);
    if (filter.contactId) add('contact_id = ?', filter.contactId);
    if (filter.state) add('state = ?', filter.state);
    if (filter.method) add('method = ?', filter.method);
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit);
    return this.db.query(
      `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** The history line a pause, resume or cancel request left on its enrollment, if it changed something. */
  async historyOfRequest(
    accountId: string,
    enrollmentId: string,
    requestId: string,
  ): Promise<HistoryView | null> {
    const rows: HistoryView[] = await this.db.query(
      `SELECT from_state AS "fromState", to_state AS "toState", cause, step_index AS "stepIndex", details, at
         FROM enrollment_history
        WHERE account_id = $1 AND enrollment_id = $2 AND details->>'requestId' = $3 ORDER BY id LIMIT 1`,
      [accountId, enrollmentId, requestId],
    );
    return rows[0] ?? null;
  }

  /** How many steps are due and not fired yet, across accounts (a range of the partial due index). */
  async countDue(now: Date): Promise<number> {
    const rows: Array<{ n: string }> = await this.db.query(
      `SELECT count(*) AS n FROM enrollments WHERE state = 'active' AND next_step_due_at <= $1`,
      [now],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async find(accountId: string, id: string): Promise<EnrollmentView | null> {
    const rows: EnrollmentView[] = await this.db.query(
      `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE account_id = $1 AND id = $2`,
      [accountId, id],
    );
    return rows[0] ?? null;
  }

  async history(accountId: string, enrollmentId: string): Promise<HistoryView[]> {
    return this.db.query(
      `SELECT from_state AS "fromState", to_state AS "toState", cause, step_index AS "stepIndex", details, at
         FROM enrollment_history WHERE account_id = $1 AND enrollment_id = $2 ORDER BY id`,
      [accountId, enrollmentId],
    );
  }

  async decision(accountId: string, requestId: string): Promise<DecisionView | null> {
    const rows: DecisionView[] = await this.db.query(
      `SELECT ${DECISION_COLUMNS} FROM enrollment_decisions WHERE account_id = $1 AND request_id = $2`,
      [accountId, requestId],
    );
    return rows[0] ?? null;
  }

  /** The decisions of these requests (those decided), keyed by request id. */
  async decisionsOf(accountId: string, requestIds: readonly string[]): Promise<Map<string, DecisionView>> {
    if (requestIds.length === 0) return new Map();
    const rows: DecisionView[] = await this.db.query(
      `SELECT ${DECISION_COLUMNS} FROM enrollment_decisions WHERE account_id = $1 AND request_id = ANY($2::text[])`,
      [accountId, [...requestIds]],
    );
    return new Map(rows.map((row) => [row.requestId, row]));
  }

  /** A contact's decisions for one sequence, newest first. */
  async decisionsFor(
    accountId: string,
    contactId: string,
    sequenceId: string,
    limit: number,
  ): Promise<DecisionView[]> {
    return this.db.query(
      `SELECT ${DECISION_COLUMNS} FROM enrollment_decisions
        WHERE account_id = $1 AND contact_id = $2 AND sequence_id = $3
        ORDER BY decided_at DESC LIMIT $4`,
      [accountId, contactId, sequenceId, limit],
    );
  }

  async bulkDecisions(accountId: string, bulkId: string): Promise<DecisionView[]> {
    return this.db.query(
      `SELECT ${DECISION_COLUMNS} FROM enrollment_decisions WHERE account_id = $1 AND bulk_id = $2 ORDER BY request_id`,
      [accountId, bulkId],
    );
  }
}
