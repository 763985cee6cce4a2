import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inactivity watcher's memory: the last activity and status of each conversation. Indexed by account
 * and last activity, so each tick reads only the conversations that crossed a limit since the previous one.
 */
export class ConversationActivity1764000300000 implements MigrationInterface {
  name = 'ConversationActivity1764000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversation_activity (
        account_id uuid NOT NULL,
        conversation_id text NOT NULL,
        contact_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('open','pending','resolved','snoozed')),
        last_activity_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, conversation_id)
      )`);
    await db.query(
      `CREATE INDEX conversation_activity_idle ON conversation_activity (account_id, last_activity_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS conversation_activity`);
  }
}
