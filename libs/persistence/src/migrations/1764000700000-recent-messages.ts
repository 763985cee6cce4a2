import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each conversation's last few messages (direction, time, bounded text, activity id), oldest first, kept
 * beside its last activity so that the Maestro is asked with the conversation in view. A constant default
 * adds the column without rewriting the table.
 */
export class RecentMessages1764000700000 implements MigrationInterface {
  name = 'RecentMessages1764000700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE conversation_activity ADD COLUMN recent_messages jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation_activity DROP COLUMN IF EXISTS recent_messages`);
  }
}
