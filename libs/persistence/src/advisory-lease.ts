import { Client } from 'pg';

export interface AdvisoryLeaseOptions {
  url: string;
  /** The lock's key, one per job that only one process at a time may run (per database). */
  key: number;
  onError: (error: unknown) => void;
}

/**
 * Leadership among processes through a Postgres session advisory lock, held on a connection of its own: the
 * lock lasts as long as that connection, so a process that dies or loses the database frees it for another.
 */
export class AdvisoryLease {
  private client: Client | null = null;
  private held = false;

  constructor(private readonly options: AdvisoryLeaseOptions) {}

  /** True while this process holds the lock; otherwise tries to take it (and reconnects if it must). */
  async hold(): Promise<boolean> {
    try {
      // While held, a round trip proves the session (and with it the lock) is still alive.
      if (this.held && this.client) {
        await this.client.query('SELECT 1');
        return true;
      }
      const client = this.client ?? (await this.connect());
      const rows = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        this.options.key,
      ]);
      this.held = rows.rows[0]?.locked === true;
    } catch (error) {
      this.options.onError(error);
      this.drop();
    }
    return this.held;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    // Ending the session releases the lock.
    await client?.end();
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.options.url });
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.options.onError(error);
      this.drop();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    this.held = false;
    client?.removeAllListeners();
    client?.end().catch(() => undefined);
  }
}
