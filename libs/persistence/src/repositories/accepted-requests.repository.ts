import type { DataSource, EntityManager } from 'typeorm';
import type { AcceptedRequest, TransitionNoop } from '@cadence/domain';

const COLUMNS = `account_id AS "accountId", request_id AS "requestId", kind, enrollment_id AS "enrollmentId",
  accepted_at AS "acceptedAt", outcome, idempotency_key AS "idempotencyKey", request_hash AS "requestHash"`;

/**
 * Requests the api accepted (published as commands): a request not decided yet is then answered `pending`
 * with where to poll, instead of 404. Written before the commands are published, removed again when the
 * publish fails (the caller got a 503 and will retry under a new request id).
 */
export class AcceptedRequestsRepository {
  constructor(private readonly db: DataSource) {}

  /** Returns the request ids recorded now: a request whose idempotency key was taken first is not. */
  async record(rows: readonly AcceptedRequest[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted: Array<{ request_id: string }> = await this.db.query(
      `INSERT INTO accepted_requests
         (account_id, request_id, kind, enrollment_id, accepted_at, idempotency_key, request_hash)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[])
       ON CONFLICT DO NOTHING
       RETURNING request_id`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.requestId),
        rows.map((r) => r.kind),
        rows.map((r) => r.enrollmentId),
        rows.map((r) => r.acceptedAt),
        rows.map((r) => r.idempotencyKey ?? null),
        rows.map((r) => r.requestHash ?? null),
      ],
    );
    return new Set(inserted.map((row) => row.request_id));
  }

  /** The request first accepted under a caller's idempotency key. */
  async findByKey(accountId: string, idempotencyKey: string): Promise<AcceptedRequest | null> {
    const rows: AcceptedRequest[] = await this.db.query(
      `SELECT ${COLUMNS} FROM accepted_requests WHERE account_id = $1 AND idempotency_key = $2`,
      [accountId, idempotencyKey],
    );
    return rows[0] ?? null;
  }

  async forget(accountId: string, requestIds: readonly string[]): Promise<void> {
    if (requestIds.length === 0) return;
    await this.db.query(
      `DELETE FROM accepted_requests WHERE account_id = $1 AND request_id = ANY($2::text[])`,
      [accountId, [...requestIds]],
    );
  }

  /** Written by the enrollment app, in the transaction that found the request changes nothing. */
  async markUnchanged(tx: EntityManager, noops: readonly TransitionNoop[]): Promise<void> {
    if (noops.length === 0) return;
    await tx.query(
      `UPDATE accepted_requests a SET outcome = u.why
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(account_id, request_id, why)
        WHERE a.account_id = u.account_id AND a.request_id = u.request_id`,
      [noops.map((n) => n.accountId), noops.map((n) => n.commandId), noops.map((n) => n.why)],
    );
  }

  async find(accountId: string, requestId: string): Promise<AcceptedRequest | null> {
    const rows: AcceptedRequest[] = await this.db.query(
      `SELECT ${COLUMNS} FROM accepted_requests WHERE account_id = $1 AND request_id = $2`,
      [accountId, requestId],
    );
    return rows[0] ?? null;
  }
}
