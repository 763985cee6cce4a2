import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The account actions the audit records (tied to `AUDIT_ACTIONS` in the domain by a test). */
const ACTIONS = [
  'account.updated',
  'api_key.created',
  'api_key.revoked',
  'api_key.rotated',
  'sequence.created',
  'sequence.updated',
  'sequence.published',
  'sequence.activated',
  'sequence.deactivated',
  'dead_letters.replayed',
];

/**
 * The operator console: the account's default send window; API key scopes, prefixes and last use; the account
 * audit; and the funnel projection (lifetime counters per sequence version, step, counter and shard).
 *
 * The funnel is backfilled from the rows present now: enrollments by state and step, steps sent from the
 * history. Ended enrollments that retention already dropped are not counted (they left no row to count).
 */
export class OperatorConsole1764001100000 implements MigrationInterface {
  name = 'OperatorConsole1764001100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE accounts ADD COLUMN send_window jsonb`);
    // Keys issued before scopes existed were all-powerful: they stay admin. Their secret is not stored, so
    // their prefix is unknown (null).
    await db.query(`
      ALTER TABLE api_keys
        ADD COLUMN scope text NOT NULL DEFAULT 'admin' CHECK (scope IN ('admin', 'enroll')),
        ADD COLUMN prefix text,
        ADD COLUMN last_used_at timestamptz,
        ADD COLUMN replaces uuid REFERENCES api_keys(id)`);
    await db.query(`CREATE INDEX api_keys_by_account ON api_keys (account_id, created_at)`);
    await db.query(`
      CREATE TABLE account_audit (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id),
        -- Milliseconds, as the API's cursors carry them: a page boundary is then exact.
        at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        actor_api_key_id uuid REFERENCES api_keys(id),
        action text NOT NULL CHECK (action IN (${ACTIONS.map((a) => `'${a}'`).join(', ')})),
        target text NOT NULL,
        change jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX account_audit_newest_first ON account_audit (account_id, at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE sequence_funnel_counts (
        account_id uuid NOT NULL,
        sequence_id uuid NOT NULL,
        sequence_version integer NOT NULL,
        step_index integer NOT NULL,
        counter text NOT NULL,
        shard smallint NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (sequence_id, sequence_version, step_index, counter, shard)
      )`);
    await this.backfillFunnel(db);
  }

  private async backfillFunnel(db: QueryRunner): Promise<void> {
    const insert = `INSERT INTO sequence_funnel_counts
      (account_id, sequence_id, sequence_version, step_index, counter, shard, n)`;
    // Where an enrollment stands: the step it waits for, or (completed) the last step it sent.
    const position = `CASE WHEN e.state = 'completed' THEN e.next_step_index - 1 ELSE e.next_step_index END`;
    const counter = `CASE e.state WHEN 'exited' THEN 'exited:' || regexp_replace(coalesce(e.end_reason, 'unknown'), '^exit:', '')
                      ELSE e.state END`;
    await db.query(`${insert}
      SELECT e.account_id, e.sequence_id, e.sequence_version, ${position}, ${counter}, 0, count(*)
        FROM enrollments e
       GROUP BY 1, 2, 3, 4, 5`);
    // Every enrollment entered step 0 and each step up to where it stands.
    await db.query(`${insert}
      SELECT e.account_id, e.sequence_id, e.sequence_version, s.i, 'entered', 0, count(*)
        FROM enrollments e
        CROSS JOIN LATERAL generate_series(0, GREATEST(${position}, 0)) AS s(i)
       GROUP BY 1, 2, 3, 4`);
    await db.query(`${insert}
      SELECT e.account_id, e.sequence_id, e.sequence_version, h.step_index, 'sent', 0, count(*)
        FROM enrollment_history h
        JOIN enrollments e ON e.id = h.enrollment_id
       WHERE h.cause = 'step_sent' AND h.step_index IS NOT NULL
       GROUP BY 1, 2, 3, 4`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS sequence_funnel_counts`);
    await db.query(`DROP TABLE IF EXISTS account_audit`);
    await db.query(`DROP INDEX IF EXISTS api_keys_by_account`);
    await db.query(
      `ALTER TABLE api_keys DROP COLUMN replaces, DROP COLUMN last_used_at, DROP COLUMN prefix, DROP COLUMN scope`,
    );
    await db.query(`ALTER TABLE accounts DROP COLUMN send_window`);
  }
}
