import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enrollment tables are written only by the enrollment app and the step-runner, which read the facts
 * they reference (account, published version) in the same batch. Their foreign keys cost a parent lookup
 * and a KEY SHARE lock on the same few parent rows for every inserted row, shared by all partition lanes;
 * they are dropped from these hot tables. The live-enrollment index now leads with the contact, so it also
 * serves the contact lookups (exits, filters) that had an index of their own.
 */
export class LeanEnrollmentWrites1764000200000 implements MigrationInterface {
  name = 'LeanEnrollmentWrites1764000200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE enrollments DROP CONSTRAINT enrollments_account_id_fkey`);
    await db.query(`ALTER TABLE enrollments DROP CONSTRAINT enrollments_sequence_id_sequence_version_fkey`);
    await db.query(`ALTER TABLE enrollment_history DROP CONSTRAINT enrollment_history_enrollment_id_fkey`);
    await db.query(`DROP INDEX enrollments_by_contact`);
    await db.query(`DROP INDEX enrollments_one_live_per_target`);
    await db.query(`
      CREATE UNIQUE INDEX enrollments_one_live_per_target
        ON enrollments (account_id, contact_id, sequence_id, target_type, target_id)
        WHERE state IN ('active','paused')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX enrollments_one_live_per_target`);
    await db.query(`
      CREATE UNIQUE INDEX enrollments_one_live_per_target
        ON enrollments (account_id, sequence_id, contact_id, target_type, target_id)
        WHERE state IN ('active','paused')`);
    await db.query(`CREATE INDEX enrollments_by_contact ON enrollments (account_id, contact_id)`);
    await db.query(
      `ALTER TABLE enrollment_history ADD FOREIGN KEY (enrollment_id) REFERENCES enrollments(id)`,
    );
    await db.query(
      `ALTER TABLE enrollments ADD FOREIGN KEY (sequence_id, sequence_version) REFERENCES sequence_versions (sequence_id, version)`,
    );
    await db.query(`ALTER TABLE enrollments ADD FOREIGN KEY (account_id) REFERENCES accounts(id)`);
  }
}
