import type { DataSource } from 'typeorm';
import { MIGRATIONS } from './data-source';

/** Tables whose rows are updated or deleted all day: without autovacuum they bloat and slow every batch. */
const CHURNING_TABLES = ['outbox', 'enrollments', 'conversation_activity', 'enrollment_decisions'];

export interface DatabaseSettings {
  autovacuum: string;
  trackCounts: string;
  /** Churning tables with `autovacuum_enabled=false` in their storage parameters. */
  tablesWithoutAutovacuum: string[];
  appliedMigrations: number;
}

export interface DatabaseAssessment {
  /** The engine must not run: it would fail on its first query. */
  errors: string[];
  /** It runs, but degrades over time; said once at boot with the remedy. */
  warnings: string[];
}

/** Judges the settings the engine relies on. */
export function assessDatabaseSettings(
  settings: DatabaseSettings,
  expectedMigrations: number,
): DatabaseAssessment {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (settings.appliedMigrations < expectedMigrations)
    errors.push(
      `database schema has ${settings.appliedMigrations} of ${expectedMigrations} migrations: run npm run migrate`,
    );
  if (settings.autovacuum !== 'on')
    warnings.push(
      'autovacuum is off: the outbox, enrollments and decisions churn rows and will bloat (set autovacuum = on)',
    );
  if (settings.trackCounts !== 'on')
    warnings.push('track_counts is off: autovacuum cannot tell which tables need it (set track_counts = on)');
  for (const table of settings.tablesWithoutAutovacuum)
    warnings.push(
      `table ${table} has autovacuum_enabled=false: it will bloat (ALTER TABLE ${table} RESET (autovacuum_enabled))`,
    );
  return { errors, warnings };
}

/** Reads the settings from the database. */
export async function readDatabaseSettings(dataSource: DataSource): Promise<DatabaseSettings> {
  const [autovacuum] = await dataSource.query<Array<{ value: string }>>(
    `SELECT current_setting('autovacuum') AS value`,
  );
  const [trackCounts] = await dataSource.query<Array<{ value: string }>>(
    `SELECT current_setting('track_counts') AS value`,
  );
  const disabled = await dataSource.query<Array<{ relname: string }>>(
    `SELECT relname FROM pg_class
      WHERE relname = ANY($1) AND relkind = 'r' AND 'autovacuum_enabled=false' = ANY(coalesce(reloptions, '{}'))`,
    [CHURNING_TABLES],
  );
  const [migrations] = await dataSource
    .query<Array<{ applied: number }>>(
      `SELECT count(*)::int AS applied FROM typeorm_migrations WHERE name = ANY($1)`,
      [MIGRATIONS.map((migration) => migration.name)],
    )
    .catch((): Array<{ applied: number }> => [{ applied: 0 }]);
  return {
    autovacuum: autovacuum?.value ?? 'unknown',
    trackCounts: trackCounts?.value ?? 'unknown',
    tablesWithoutAutovacuum: disabled.map((row) => row.relname),
    appliedMigrations: migrations?.applied ?? 0,
  };
}

export const expectedMigrationCount = (): number => MIGRATIONS.length;
