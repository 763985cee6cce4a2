import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every request answered:
 * - decisions take the new reasons (opt-out, re-entry, daily cap, refused requests), a `detail` saying what
 *   was wrong with a refused request, and no method when a refused request named none;
 * - contact opt-outs (the latest change per contact wins);
 * - the last ended enrollment per live key, indexed for re-entry policies (only ended rows enter the index,
 *   so enrolling costs nothing more);
 * - per capped sequence and local day, the enrollments taken (a counter row, locked by the batches that add);
 * - requests the api accepted, so that one not decided yet answers `pending`, not 404;
 * - a compact trace of every domain event the trigger-router read, for "why did this event not enroll".
 */
export class EveryRequestAnswered1764000500000 implements MigrationInterface {
  name = 'EveryRequestAnswered1764000500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE enrollment_decisions DROP CONSTRAINT enrollment_decisions_reason_check`);
    await db.query(`
      ALTER TABLE enrollment_decisions ADD CONSTRAINT enrollment_decisions_reason_check CHECK (reason IN (
          'enrolled','enrolled_maestro_unavailable','duplicate','idempotent_replay','account_not_found',
          'sequence_not_found','sequence_not_published','sequence_inactive','trigger_mismatch',
          'target_mismatch','module_disabled','maestro_disabled','maestro_declined','contact_opted_out',
          'reentry_not_allowed','reentry_cooldown','daily_cap_reached','invalid_request','rejected_by_database'))`);
    await db.query(`ALTER TABLE enrollment_decisions ALTER COLUMN method DROP NOT NULL`);
    await db.query(`ALTER TABLE enrollment_decisions ADD COLUMN detail text`);
    await db.query(`
      CREATE TABLE contact_opt_outs (
        account_id uuid NOT NULL,
        contact_id text NOT NULL,
        opted_out boolean NOT NULL,
        changed_at timestamptz NOT NULL,
        request_id text NOT NULL,
        cause text,
        PRIMARY KEY (account_id, contact_id)
      )`);
    await db.query(`
      CREATE INDEX enrollments_last_ended_per_target
        ON enrollments (account_id, contact_id, sequence_id, target_type, target_id, ended_at DESC)
        WHERE state IN ('completed','exited','cancelled')`);
    await db.query(`
      CREATE TABLE sequence_daily_counts (
        account_id uuid NOT NULL,
        sequence_id uuid NOT NULL,
        day date NOT NULL,
        enrolled integer NOT NULL CHECK (enrolled >= 0),
        PRIMARY KEY (sequence_id, day)
      )`);
    await db.query(`
      CREATE TABLE accepted_requests (
        account_id uuid NOT NULL,
        request_id text NOT NULL,
        kind text NOT NULL,
        enrollment_id uuid,
        accepted_at timestamptz NOT NULL,
        outcome text,
        PRIMARY KEY (account_id, request_id)
      )`);
    await db.query(`
      CREATE TABLE event_traces (
        account_id uuid NOT NULL,
        event_id text NOT NULL,
        event_type text,
        contact_id text,
        routed uuid[] NOT NULL,
        routed_methods text[] NOT NULL,
        exit_rule text,
        refused text,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, event_id)
      )`);
    await db.query(`CREATE INDEX event_traces_by_age ON event_traces (received_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['event_traces', 'accepted_requests', 'sequence_daily_counts', 'contact_opt_outs']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP INDEX IF EXISTS enrollments_last_ended_per_target`);
    await db.query(`ALTER TABLE enrollment_decisions DROP COLUMN IF EXISTS detail`);
    await db.query(`ALTER TABLE enrollment_decisions DROP CONSTRAINT enrollment_decisions_reason_check`);
    await db.query(`
      ALTER TABLE enrollment_decisions ADD CONSTRAINT enrollment_decisions_reason_check CHECK (reason IN (
          'enrolled','enrolled_maestro_unavailable','duplicate','idempotent_replay','account_not_found',
          'sequence_not_found','sequence_not_published','sequence_inactive','trigger_mismatch',
          'target_mismatch','module_disabled','maestro_disabled','maestro_declined'))`);
  }
}
