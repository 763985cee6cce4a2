// First: the lib aliases, which jest's module mapping does not provide to a global setup.
import './lib-aliases';
import { createDataSource, ensureDatabase } from '../../libs/persistence/src';
import { resolveInfrastructure } from './resolve-infrastructure';
import { TEMPLATE_DATABASE, withDatabase } from '../support/database-url';

/**
 * Once per test run: resolve the real broker, registry and Postgres, then migrate a template database that
 * every test file clones (CREATE DATABASE ... TEMPLATE), so files never see each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const { source, endpoints } = await resolveInfrastructure();
  Object.assign(process.env, endpoints);
  const templateUrl = withDatabase(endpoints.DATABASE_URL, TEMPLATE_DATABASE);
  await ensureDatabase(templateUrl);
  const dataSource = await createDataSource(templateUrl, 1).initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  console.log(
    `\ninfrastructure from ${source} ready in ${Date.now() - started} ms: ${JSON.stringify(endpoints)}`,
  );
}
