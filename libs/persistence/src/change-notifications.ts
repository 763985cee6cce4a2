/** The channel the sequences and accounts tables notify on commit (see the migration that sets it up). */
export const SEQUENCES_CHANGED_CHANNEL = 'cadence_sequences_changed';
/** The channel a transaction that leaves a step due now notifies (the step-runners' fast path). */
export const STEPS_DUE_CHANNEL = 'cadence_steps_due';

import { Client } from 'pg';

const RECONNECT_DELAY_MS = 1_000;

export interface ChangeNotificationsOptions {
  url: string;
  channel: string;
  /** Called for each notification, and after a reconnect (notifications sent meanwhile are lost). */
  onChange: () => void;
  onError: (error: unknown) => void;
}

/**
 * A Postgres LISTEN on one channel, over a connection of its own (a pooled connection would drop it).
 * NOTIFY is transactional, so a change is heard once it is committed.
 */
export class ChangeNotifications {
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChangeNotificationsOptions) {}

  /** Fails if the first connection fails; later losses are retried every second until `stop`. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.options.url });
    client.on('notification', () => this.options.onChange());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('listen connection ended')));
    await client.connect();
    await client.query(`LISTEN ${this.options.channel}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private lost(client: Client, error: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    client.removeAllListeners();
    client.end().catch(() => undefined);
    this.options.onError(error);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    this.retry = setTimeout(() => {
      this.connect().then(
        () => this.options.onChange(),
        (error: unknown) => {
          this.options.onError(error);
          if (!this.stopped) this.reconnectLater();
        },
      );
    }, RECONNECT_DELAY_MS);
  }
}
