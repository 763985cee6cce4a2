/**
 * The migrated database every test file clones. TEST_TEMPLATE_DATABASE names another one, so two checkouts can
 * run their tests against one Postgres at once (each migrates and clones its own template).
 */
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? 'cadence_test_template';

export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
