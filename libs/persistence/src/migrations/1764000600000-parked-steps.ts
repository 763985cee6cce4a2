import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A step the step-runner cannot plan (an account zone Intl does not know, a broken pinned version) is parked:
 * its enrollment stays active, leaves the due index (`next_step_due_at = NULL`) and says why here, instead of
 * failing every pass that claims it first. The partial index finds parked enrollments for an operator (few rows,
 * so it costs nothing on the hot path). A transition that gives the enrollment a due time again (resume) clears it.
 */
export class ParkedSteps1764000600000 implements MigrationInterface {
  name = 'ParkedSteps1764000600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE enrollments ADD COLUMN parked_reason text`);
    await db.query(
      `CREATE INDEX enrollments_parked ON enrollments (account_id, updated_at) WHERE parked_reason IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS enrollments_parked`);
    await db.query(`ALTER TABLE enrollments DROP COLUMN IF EXISTS parked_reason`);
  }
}
