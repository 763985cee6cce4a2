import { MIGRATIONS } from './data-source';
import { assessDatabaseSettings, expectedMigrationCount, type DatabaseSettings } from './database-settings';

const healthy: DatabaseSettings = {
  autovacuum: 'on',
  trackCounts: 'on',
  tablesWithoutAutovacuum: [],
  appliedMigrations: 5,
};
const settings = (overrides: Partial<DatabaseSettings>): DatabaseSettings => ({ ...healthy, ...overrides });

describe('assessDatabaseSettings', () => {
  it('finds nothing wrong when the schema is current and autovacuum runs everywhere', () => {
    expect(assessDatabaseSettings(healthy, 5)).toEqual({ errors: [], warnings: [] });
  });

  it('finds nothing wrong in a schema with more migrations than this build knows', () => {
    expect(assessDatabaseSettings(settings({ appliedMigrations: 6 }), 5)).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it.each([0, 4])('refuses a schema with %i of 5 migrations, naming npm run migrate', (applied) => {
    expect(assessDatabaseSettings(settings({ appliedMigrations: applied }), 5)).toEqual({
      errors: [`database schema has ${applied} of 5 migrations: run npm run migrate`],
      warnings: [],
    });
  });

  it.each<[string, Partial<DatabaseSettings>, string]>([
    [
      'autovacuum off',
      { autovacuum: 'off' },
      'autovacuum is off: the outbox, enrollments and decisions churn rows and will bloat (set autovacuum = on)',
    ],
    [
      'track_counts off',
      { trackCounts: 'off' },
      'track_counts is off: autovacuum cannot tell which tables need it (set track_counts = on)',
    ],
    [
      'a churning table with autovacuum disabled',
      { tablesWithoutAutovacuum: ['outbox'] },
      'table outbox has autovacuum_enabled=false: it will bloat (ALTER TABLE outbox RESET (autovacuum_enabled))',
    ],
  ])('warns of %s with its remedy, and lets the engine run', (_case, overrides, warning) => {
    expect(assessDatabaseSettings(settings(overrides), 5)).toEqual({ errors: [], warnings: [warning] });
  });

  it('counts a setting it could not read as off', () => {
    const { warnings } = assessDatabaseSettings(
      settings({ autovacuum: 'unknown', trackCounts: 'unknown' }),
      5,
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^autovacuum is off/);
    expect(warnings[1]).toMatch(/^track_counts is off/);
  });

  it('reports each problem at once: the missing migrations and one warning per setting and table', () => {
    const assessment = assessDatabaseSettings(
      {
        autovacuum: 'off',
        trackCounts: 'off',
        tablesWithoutAutovacuum: ['outbox', 'enrollment_decisions'],
        appliedMigrations: 2,
      },
      5,
    );
    expect(assessment.errors).toEqual(['database schema has 2 of 5 migrations: run npm run migrate']);
    expect(assessment.warnings).toEqual([
      expect.stringMatching(/^autovacuum is off/),
      expect.stringMatching(/^track_counts is off/),
      expect.stringContaining('ALTER TABLE outbox RESET (autovacuum_enabled)'),
      expect.stringContaining('ALTER TABLE enrollment_decisions RESET (autovacuum_enabled)'),
    ]);
  });
});

describe('expectedMigrationCount', () => {
  it('expects every migration the data source runs', () => {
    expect(expectedMigrationCount()).toBe(MIGRATIONS.length);
    expect(expectedMigrationCount()).toBeGreaterThan(0);
  });
});
