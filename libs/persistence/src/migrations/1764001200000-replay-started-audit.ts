import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The account actions the audit records from here on (tied to `AUDIT_ACTIONS` in the domain by a test). */
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
  'dead_letters.replay_started',
  'dead_letters.replayed',
];

const check = (actions: readonly string[]) =>
  `CHECK (action IN (${actions.map((a) => `'${a}'`).join(', ')}))`;

/**
 * A dead-letter replay writes to Kafka, so it cannot share a transaction with its audit entry: the audit now
 * records that a replay started (who, when, which topic) before the first letter is sent, and what it replayed
 * once it is done. A replay cut short (a crash, Kafka gone) still leaves its start in the audit.
 */
export class ReplayStartedAudit1764001200000 implements MigrationInterface {
  name = 'ReplayStartedAudit1764001200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE account_audit DROP CONSTRAINT account_audit_action_check`);
    await db.query(`ALTER TABLE account_audit ADD CONSTRAINT account_audit_action_check ${check(ACTIONS)}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM account_audit WHERE action = 'dead_letters.replay_started'`);
    await db.query(`ALTER TABLE account_audit DROP CONSTRAINT account_audit_action_check`);
    const before = ACTIONS.filter((action) => action !== 'dead_letters.replay_started');
    await db.query(`ALTER TABLE account_audit ADD CONSTRAINT account_audit_action_check ${check(before)}`);
  }
}
