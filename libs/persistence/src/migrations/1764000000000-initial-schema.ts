import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts (with their module flags), API keys, sequences and their immutable published versions,
 * enrollments (one live per sequence/contact/target), their history, every enroll decision, and the outbox.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        automation_module_enabled boolean NOT NULL DEFAULT false,
        maestro_enabled boolean NOT NULL DEFAULT false,
        time_zone text NOT NULL DEFAULT 'UTC',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id),
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE sequences (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id),
        name text NOT NULL,
        draft jsonb NOT NULL,
        active boolean NOT NULL DEFAULT false,
        published_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX sequences_by_account ON sequences (account_id, created_at)`);
    await db.query(`
      CREATE TABLE sequence_versions (
        sequence_id uuid NOT NULL REFERENCES sequences(id),
        version integer NOT NULL CHECK (version > 0),
        account_id uuid NOT NULL REFERENCES accounts(id),
        definition jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sequence_id, version)
      )`);
    await db.query(`
      CREATE TABLE enrollments (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id),
        sequence_id uuid NOT NULL,
        sequence_version integer NOT NULL,
        contact_id text NOT NULL,
        target_type text NOT NULL CHECK (target_type IN ('contact','conversation','deal','appointment','charge')),
        target_id text NOT NULL,
        method text NOT NULL
          CHECK (method IN ('manual','bulk','api','automation','macro','flow','event','inactivity','ai')),
        state text NOT NULL CHECK (state IN ('active','paused','completed','exited','cancelled')),
        next_step_index integer NOT NULL DEFAULT 0,
        next_step_due_at timestamptz,
        row_version integer NOT NULL DEFAULT 0,
        request_id text NOT NULL,
        end_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        ended_at timestamptz,
        FOREIGN KEY (sequence_id, sequence_version) REFERENCES sequence_versions (sequence_id, version)
      )`);
    // The backstop of "one active-or-paused enrollment per contact per sequence per target".
    await db.query(`
      CREATE UNIQUE INDEX enrollments_one_live_per_target
        ON enrollments (account_id, sequence_id, contact_id, target_type, target_id)
        WHERE state IN ('active','paused')`);
    await db.query(`CREATE INDEX enrollments_due ON enrollments (next_step_due_at) WHERE state = 'active'`);
    await db.query(
      `CREATE INDEX enrollments_by_account ON enrollments (account_id, created_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX enrollments_by_contact ON enrollments (account_id, contact_id)`);
    await db.query(`
      CREATE TABLE enrollment_history (
        id bigserial PRIMARY KEY,
        account_id uuid NOT NULL,
        enrollment_id uuid NOT NULL REFERENCES enrollments(id),
        from_state text,
        to_state text NOT NULL,
        cause text NOT NULL,
        step_index integer,
        details jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX enrollment_history_by_enrollment ON enrollment_history (enrollment_id, id)`);
    await db.query(`
      CREATE TABLE enrollment_decisions (
        account_id uuid NOT NULL,
        request_id text NOT NULL,
        idempotency_key text,
        contact_id text NOT NULL,
        sequence_id uuid,
        target_type text,
        target_id text,
        method text NOT NULL,
        provenance jsonb NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('enrolled','ignored')),
        reason text NOT NULL CHECK (reason IN (
          'enrolled','enrolled_maestro_unavailable','duplicate','idempotent_replay','account_not_found',
          'sequence_not_found','sequence_not_published','sequence_inactive','trigger_mismatch',
          'target_mismatch','module_disabled','maestro_disabled','maestro_declined')),
        enrollment_id uuid,
        related_id text,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, request_id)
      )`);
    await db.query(`
      CREATE UNIQUE INDEX enrollment_decisions_first_per_key
        ON enrollment_decisions (account_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL AND reason <> 'idempotent_replay'`);
    await db.query(
      `CREATE INDEX enrollment_decisions_by_contact ON enrollment_decisions (account_id, contact_id, sequence_id, decided_at DESC)`,
    );
    await db.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'enrollment_decisions',
      'enrollment_history',
      'enrollments',
      'sequence_versions',
      'sequences',
      'api_keys',
      'accounts',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
