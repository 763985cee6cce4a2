import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { LOGGER, type Logger } from '@cadence/observability';
import { AccountsRepository, SequencesRepository } from '@cadence/persistence';
import { SequenceTriggerIndex } from './sequence-trigger-index';

/** Loads the trigger index at boot and reloads it on an interval (one query per interval, not per event). */
@Injectable()
export class TriggerIndexRefresher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly index: SequenceTriggerIndex,
    private readonly sequences: SequencesRepository,
    private readonly accounts: AccountsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn({ error: String(error) }, 'trigger index refresh failed'),
      );
    }, this.config.TRIGGER_INDEX_REFRESH_MS);
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const sequences = await this.sequences.findActivePublished();
    const accounts = await this.accounts.findMany(sequences.map((s) => s.accountId));
    this.index.replaceAll(
      sequences.map((s) => ({ ...s, maestroEnabled: accounts.get(s.accountId)?.maestroEnabled ?? false })),
    );
  }
}
