import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `Idempotency-Key` header: a retried call (single or bulk) with the same key answers the first call's
 * request id or bulk id instead of enrolling again; the same key with another body is refused (422). The key
 * and a hash of the body are kept with the accepted request and with the bulk call, unique per account.
 */
export class IdempotencyKeys1764000800000 implements MigrationInterface {
  name = 'IdempotencyKeys1764000800000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['accepted_requests', 'bulk_enrollments']) {
      await db.query(`ALTER TABLE ${table} ADD COLUMN idempotency_key text, ADD COLUMN request_hash text`);
      await db.query(
        `CREATE UNIQUE INDEX ${table}_by_idempotency_key ON ${table} (account_id, idempotency_key)
           WHERE idempotency_key IS NOT NULL`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['accepted_requests', 'bulk_enrollments']) {
      await db.query(`DROP INDEX IF EXISTS ${table}_by_idempotency_key`);
      await db.query(
        `ALTER TABLE ${table} DROP COLUMN IF EXISTS idempotency_key, DROP COLUMN IF EXISTS request_hash`,
      );
    }
  }
}
