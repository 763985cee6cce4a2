import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { ContractProducer } from '@cadence/kafka';
import { LOGGER, Metrics, TRACEPARENT_HEADER, inSpan, startSpan, type Logger } from '@cadence/observability';
import { OutboxRepository, type OutboxRecord } from '@cadence/persistence';

const RELAY_BATCH = 1000;
const IDLE_POLL_MS = 250;

/**
 * Moves outbox rows to Kafka: right after a batch commits (nudge) and on a short poll. Rows are deleted in
 * the same transaction that publishes them, so a crash re-publishes (consumers see at-least-once, keyed by id).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly producer: ContractProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    metrics.gaugeReading(
      'cadence_outbox_backlog',
      'Lifecycle events written and not yet relayed to Kafka',
      () => this.outbox.backlog(),
    );
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Ask for a relay pass now (coalesced with one already running). */
  nudge(): void {
    if (!this.running) this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
  }

  /** One relay pass's rows, each continuing the trace stored with it (the pass links them). */
  private publish(records: OutboxRecord[]): Promise<void> {
    const span = startSpan('outbox.relay', {
      links: records.map((r) => r.headers?.[TRACEPARENT_HEADER]),
      attributes: { 'cadence.messages': records.length },
    });
    return inSpan(span, () =>
      this.producer.send(
        records.map((r) => ({ topic: r.topic, key: r.key, value: r.payload, headers: r.headers })),
      ),
    );
  }

  private async drain(): Promise<void> {
    try {
      let relayed: number;
      do {
        relayed = await this.outbox.relay(RELAY_BATCH, (records) => this.publish(records));
      } while (relayed === RELAY_BATCH && !this.stopped);
    } catch (error) {
      this.logger.warn({ error: String(error) }, 'outbox relay failed; will retry');
    }
    this.schedule(IDLE_POLL_MS);
  }
}
