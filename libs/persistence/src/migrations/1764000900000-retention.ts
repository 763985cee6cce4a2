import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (RETENTION_DAYS): what the pruner drops is found through indexes that cost the hot paths nothing
 * or little: BRIN on the append-only time columns (rows arrive in time order, so a block range summary is a
 * few bytes per 128 pages and is never updated in place), and a partial index on `ended_at` that only ended
 * enrollments enter (an insert when an enrollment ends, none when one is made).
 */
export class Retention1764000900000 implements MigrationInterface {
  name = 'Retention1764000900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX enrollment_decisions_by_age ON enrollment_decisions USING brin (decided_at)`,
    );
    await db.query(`CREATE INDEX accepted_requests_by_age ON accepted_requests USING brin (accepted_at)`);
    await db.query(`CREATE INDEX enrollments_ended ON enrollments (ended_at) WHERE ended_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of ['enrollments_ended', 'accepted_requests_by_age', 'enrollment_decisions_by_age']) {
      await db.query(`DROP INDEX IF EXISTS ${index}`);
    }
  }
}
