import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { LOGGER, type Logger } from '@cadence/observability';
import type { Account, SequenceRecord } from '@cadence/domain';
import {
  AccountsRepository,
  ChangeNotifications,
  SEQUENCES_CHANGED_CHANNEL,
  SequencesRepository,
} from '@cadence/persistence';

export interface ActiveSequencesSnapshot {
  /** Active sequences with a published version, each with its current published definition. */
  sequences: SequenceRecord[];
  /** The accounts that own them. */
  accounts: Map<string, Account>;
}

/**
 * The active, published sequences of every account, in memory: loaded at boot, reloaded as soon as a change
 * to sequences or accounts is committed (Postgres NOTIFY), and every SEQUENCES_RELOAD_MS as a backstop. Reloads
 * never overlap; changes heard during one make one more.
 */
@Injectable()
export class ActiveSequences implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private snapshot: ActiveSequencesSnapshot = { sequences: [], accounts: new Map() };
  private readonly listeners: Array<(snapshot: ActiveSequencesSnapshot) => void> = [];
  private readonly notifications: ChangeNotifications;
  private reloading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sequences: SequencesRepository,
    private readonly accounts: AccountsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.notifications = new ChangeNotifications({
      url: config.DATABASE_URL,
      channel: SEQUENCES_CHANGED_CHANNEL,
      onChange: () => this.reloadSoon(),
      onError: (error) => this.logger.warn({ error: String(error) }, 'sequence change notifications lost'),
    });
  }

  current(): ActiveSequencesSnapshot {
    return this.snapshot;
  }

  /** Called with each new snapshot. */
  onReload(listener: (snapshot: ActiveSequencesSnapshot) => void): void {
    this.listeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.notifications.start();
    await this.reload();
    this.timer = setInterval(() => this.reloadSoon(), this.config.SEQUENCES_RELOAD_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.notifications.stop();
    await this.reloading;
  }

  /** Reloads now, or once more after the reload in progress. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = this.load().finally(() => {
      this.reloading = null;
      if (this.again) {
        this.again = false;
        this.reloadSoon();
      }
    });
    return this.reloading;
  }

  private reloadSoon(): void {
    this.reload().catch((error: unknown) =>
      this.logger.warn({ error: String(error) }, 'reloading active sequences failed'),
    );
  }

  private async load(): Promise<void> {
    const sequences = await this.sequences.findActivePublished();
    const accounts = await this.accounts.findMany(sequences.map((sequence) => sequence.accountId));
    this.snapshot = { sequences, accounts };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}
