import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Bulk manual enrollments: one row per call, and decisions findable by their bulk id. */
export class BulkRequests1764000100000 implements MigrationInterface {
  name = 'BulkRequests1764000100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE bulk_enrollments (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id),
        sequence_id uuid NOT NULL,
        requested_by text NOT NULL,
        total integer NOT NULL CHECK (total > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`ALTER TABLE enrollment_decisions ADD COLUMN bulk_id uuid`);
    await db.query(
      `CREATE INDEX enrollment_decisions_by_bulk ON enrollment_decisions (account_id, bulk_id, request_id) WHERE bulk_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX enrollments_by_sequence ON enrollments (account_id, sequence_id, created_at DESC, id DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS enrollments_by_sequence`);
    await db.query(`ALTER TABLE enrollment_decisions DROP COLUMN IF EXISTS bulk_id`);
    await db.query(`DROP TABLE IF EXISTS bulk_enrollments`);
  }
}
