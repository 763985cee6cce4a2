import type { DataSource, EntityManager } from 'typeorm';
import type { AcceptedRequest, TransitionNoop } from '@cadence/domain';

/**
 * Requests the api accepted (published as commands): a request not decided yet is then answered `pending`
 * with where to poll, instead of 404. Written before the commands are published, removed again when the
 * publish fails (the caller got a 503 and will retry under a new request id).
 */
export class AcceptedRequestsRepository {
  constructor(private readonly db: DataSource) {}

  async record(rows: readonly AcceptedRequest[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO accepted_requests (account_id, request_id, kind, enrollment_id, accepted_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::timestamptz[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.requestId),
        rows.map((r) => r.kind),
        rows.map((r) => r.enrollmentId),
        rows.map((r) => r.acceptedAt),
      ],
    );
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
      `SELECT account_id AS "accountId", request_id AS "requestId", kind, enrollment_id AS "enrollmentId",
              accepted_at AS "acceptedAt", outcome
         FROM accepted_requests WHERE account_id = $1 AND request_id = $2`,
      [accountId, requestId],
    );
    return rows[0] ?? null;
  }
}
