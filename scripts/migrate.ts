import { loadConfig } from '@cadence/config';
import { createDataSource, ensureDatabase } from '@cadence/persistence';

/** Creates the database if missing and applies pending migrations (`npm run migrate`). */
async function migrate(): Promise<void> {
  const config = loadConfig();
  await ensureDatabase(config.DATABASE_URL);
  const dataSource = await createDataSource(config.DATABASE_URL, 1).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(
      `migrations: ${applied.length} applied (${applied.map((m) => m.name).join(', ') || 'up to date'})`,
    );
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
