import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to sequences or accounts notifies `cadence_sequences_changed` (NOTIFY is
 * transactional, and repeats within one transaction collapse into one), so the processes that keep active
 * sequences in memory reload when something changed instead of polling the whole table.
 */
export class SequenceChangeNotifications1764000400000 implements MigrationInterface {
  name = 'SequenceChangeNotifications1764000400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_sequences_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('cadence_sequences_changed', '');
        RETURN NULL;
      END $$`);
    for (const table of ['sequences', 'accounts']) {
      await db.query(
        `CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION notify_sequences_changed()`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['sequences', 'accounts']) {
      await db.query(`DROP TRIGGER IF EXISTS ${table}_changed ON ${table}`);
    }
    await db.query(`DROP FUNCTION IF EXISTS notify_sequences_changed()`);
  }
}
