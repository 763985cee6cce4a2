import { Client } from 'pg';

/**
 * pg_terminate_backend for every other connection to the database of `databaseUrl`: the apps' pools (and any
 * other client of that database) lose their connections mid-query and must reconnect. Returns how many ended.
 */
export async function terminateBackends(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
