import { loadConfig } from '@cadence/config';
import { assertValidTimeZone } from '@cadence/domain';
import { AccountsRepository, ApiKeysRepository, createDataSource } from '@cadence/persistence';

/**
 * Operator command: `npm run account:create -- <name> [--automation] [--maestro] [--time-zone=<tz>]`.
 * Creates an account and prints its id and a new API key (shown once; only its hash is stored).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((arg) => !arg.startsWith('--'));
  if (!name)
    throw new Error('usage: npm run account:create -- <name> [--automation] [--maestro] [--time-zone=<tz>]');
  const timeZone = args.find((arg) => arg.startsWith('--time-zone='))?.slice('--time-zone='.length);
  // Refused before connecting, naming the value; an empty `--time-zone=` is refused too, not read as UTC.
  if (timeZone !== undefined) assertValidTimeZone(timeZone);
  const db = await createDataSource(loadConfig().DATABASE_URL, 1).initialize();
  try {
    const account = await new AccountsRepository(db).create({
      name,
      automationModuleEnabled: args.includes('--automation'),
      maestroEnabled: args.includes('--maestro'),
      ...(timeZone !== undefined ? { timeZone } : {}),
    });
    const key = await new ApiKeysRepository(db).issue(account.id, 'created by account:create');
    console.log(JSON.stringify({ accountId: account.id, apiKey: key.key }, null, 2));
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
