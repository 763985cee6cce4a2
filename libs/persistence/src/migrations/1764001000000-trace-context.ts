import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trace context that outlives a message: the enrollment keeps the W3C traceparent of the request that started
 * it (the step-runner continues that trace when it fires each step, days later), and an outbox row keeps the
 * headers its message is relayed with. Both nullable, no default: adding them rewrites nothing.
 */
export class TraceContext1764001000000 implements MigrationInterface {
  name = 'TraceContext1764001000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE enrollments ADD COLUMN trace_parent text`);
    await db.query(`ALTER TABLE outbox ADD COLUMN headers jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox DROP COLUMN IF EXISTS headers`);
    await db.query(`ALTER TABLE enrollments DROP COLUMN IF EXISTS trace_parent`);
  }
}
