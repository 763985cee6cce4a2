import type { DataSource } from 'typeorm';
import type { BulkEnrollmentRecord } from '@cadence/domain';

const COLUMNS = `id, account_id AS "accountId", sequence_id AS "sequenceId", requested_by AS "requestedBy", total,
  created_at AS "createdAt", idempotency_key AS "idempotencyKey", request_hash AS "requestHash"`;

export class BulkEnrollmentsRepository {
  constructor(private readonly db: DataSource) {}

  /** False when the caller's idempotency key was taken by an earlier call (then nothing is written). */
  async create(bulk: Omit<BulkEnrollmentRecord, 'createdAt'>): Promise<boolean> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO bulk_enrollments (id, account_id, sequence_id, requested_by, total, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        bulk.id,
        bulk.accountId,
        bulk.sequenceId,
        bulk.requestedBy,
        bulk.total,
        bulk.idempotencyKey ?? null,
        bulk.requestHash ?? null,
      ],
    );
    return inserted.length === 1;
  }

  async findByKey(accountId: string, idempotencyKey: string): Promise<BulkEnrollmentRecord | null> {
    const rows: BulkEnrollmentRecord[] = await this.db.query(
      `SELECT ${COLUMNS} FROM bulk_enrollments WHERE account_id = $1 AND idempotency_key = $2`,
      [accountId, idempotencyKey],
    );
    return rows[0] ?? null;
  }

  /** A bulk call whose commands could not be published (the caller got a 503) leaves no row behind. */
  async remove(accountId: string, id: string): Promise<void> {
    await this.db.query(`DELETE FROM bulk_enrollments WHERE account_id = $1 AND id = $2`, [accountId, id]);
  }

  async find(accountId: string, id: string): Promise<BulkEnrollmentRecord | null> {
    const rows: BulkEnrollmentRecord[] = await this.db.query(
      `SELECT ${COLUMNS} FROM bulk_enrollments WHERE account_id = $1 AND id = $2`,
      [accountId, id],
    );
    return rows[0] ?? null;
  }

  /** How many of the bulk's requests are decided, by reason. */
  async progress(accountId: string, id: string): Promise<Record<string, number>> {
    const rows: Array<{ reason: string; count: string }> = await this.db.query(
      `SELECT reason, count(*) AS count FROM enrollment_decisions WHERE account_id = $1 AND bulk_id = $2 GROUP BY reason`,
      [accountId, id],
    );
    return Object.fromEntries(rows.map((row) => [row.reason, Number(row.count)]));
  }
}
