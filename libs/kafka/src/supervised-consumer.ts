import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from '@cadence/observability';
import type { FatalErrors } from './fatal-errors';
import { groupLag } from './group-lag';
import { withinDeadline } from './kafka-unavailable';
import { StallWatch, type BatchStage } from './stall-watch';

export interface SupervisionOptions {
  groupId: string;
  topics: string[];
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Told when kafkajs gives up on the consumer and replacing it did not help. */
  fatalErrors?: FatalErrors;
  /** How long the group waits for a silent member before giving its partitions to the others. */
  sessionTimeoutMs?: number;
}

const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
const STALL_CHECK_MS = 5_000;
const MAX_CRASH_RESTARTS = 5;

/**
 * A kafkajs group member with manual offsets, kept alive: its readiness is its group membership, and a member
 * that crashed for good or stopped moving (a batch stuck in one stage, no heartbeat, or messages waiting while
 * nothing is fetched) is replaced by a new kafkajs consumer that joins the group again.
 */
export class SupervisedConsumer {
  private consumer: Consumer;
  private joined = false;
  private running = false;
  private lastHeartbeatAt = 0;
  private problem = 'not joined yet';
  private watch: StallWatch;
  private watchTimer: NodeJS.Timeout | undefined;
  private restarting = false;
  private crashRestarts = 0;
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly options: SupervisionOptions,
    /** Processes one partition batch with the consumer that fetched it, reporting each stage it enters. */
    private readonly eachBatch: (
      consumer: Consumer,
      payload: EachBatchPayload,
      stage: (stage: BatchStage) => void,
    ) => Promise<void>,
  ) {
    this.watch = new StallWatch(this.stallLimitMs(), Date.now());
    this.consumer = this.createConsumer();
  }

  private sessionTimeoutMs(): number {
    return this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  }

  /** Twice the session timeout, at least a minute: far beyond any healthy batch or heartbeat gap. */
  private stallLimitMs(): number {
    return Math.max(60_000, 2 * this.sessionTimeoutMs());
  }

  private createConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.sessionTimeoutMs(),
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 1_048_576,
      retry: { retries: 10 },
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.crashRestarts = 0;
      this.lastHeartbeatAt = Date.now();
      this.watch.progress(Date.now());
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      this.lastHeartbeatAt = Date.now();
      this.watch.progress(Date.now());
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (consumer !== this.consumer) return; // a replaced consumer's last words
      this.joined = false;
      const error = String(event.payload.error);
      this.problem = `consumer crashed (${error})${event.payload.restart ? ', rejoining' : ''}`;
      // A crash kafkajs restarts from (a coordinator still loading at boot, say) is worth a warning.
      if (event.payload.restart) {
        this.logger.warn({ error, restart: true }, 'consumer crashed');
        return;
      }
      // One it gives up on (an authentication cut short by a broker going down, say) gets a new consumer, a few
      // times with a growing pause; only a crash that keeps coming back is fatal to the process.
      if (this.running && this.crashRestarts < MAX_CRASH_RESTARTS) {
        const pauseMs = 1_000 * 2 ** this.crashRestarts++;
        this.logger.warn({ error, retryInMs: pauseMs }, 'consumer crashed; replacing it');
        setTimeout(() => {
          if (this.running && consumer === this.consumer) this.replaceConsumer(`crashed (${error})`);
        }, pauseMs);
        return;
      }
      this.logger.error({ error, restart: false }, 'consumer crashed');
      this.running = false;
      this.options.fatalErrors?.report(event.payload.error, `consumer ${this.options.groupId}`);
    });
    return consumer;
  }

  /**
   * Ready while it is a member of its group: joined, and heard from the coordinator within a session timeout
   * (a consumer cut off from the brokers stops heartbeating and is no longer a member).
   */
  status(): { ok: boolean; detail?: string } {
    if (!this.running) return { ok: false, detail: 'not running' };
    if (!this.joined)
      return { ok: false, detail: `not a member of group ${this.options.groupId}: ${this.problem}` };
    const silentMs = Date.now() - this.lastHeartbeatAt;
    if (silentMs > (this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS))
      return {
        ok: false,
        detail: `no heartbeat to group ${this.options.groupId} for ${Math.round(silentMs / 1000)} s`,
      };
    return { ok: true };
  }

  async start(): Promise<void> {
    this.watchTimer = setInterval(() => void this.restartIfStalled(), STALL_CHECK_MS);
    await this.run();
  }

  private async run(): Promise<void> {
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.processBatch(consumer, payload),
    });
  }

  /** Lets the in-flight batch finish (and commit), then leaves the group. */
  async stop(): Promise<void> {
    clearInterval(this.watchTimer);
    await this.admin?.disconnect().catch(() => undefined);
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
  }

  /** Idle for long: asks the brokers whether the group has messages waiting (bounded; unknown counts as none). */
  private async stalledWithBacklog(): Promise<string | undefined> {
    if (!this.watch.idle(Date.now())) return undefined;
    try {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await withinDeadline(this.admin.connect(), STALL_CHECK_MS);
      const backlog = await withinDeadline(
        groupLag(this.admin, this.options.groupId, this.options.topics),
        STALL_CHECK_MS,
      );
      return this.watch.stalledWithBacklog(Date.now(), backlog);
    } catch {
      return undefined;
    }
  }

  /** Every few seconds: a consumer that stopped moving is replaced. */
  private async restartIfStalled(): Promise<void> {
    if (!this.running || this.restarting) return;
    const stall = this.watch.stalled(Date.now()) ?? (await this.stalledWithBacklog());
    if (!stall || this.restarting) return;
    this.logger.error({ group: this.options.groupId, stall }, 'consumer stalled; replacing it');
    this.replaceConsumer(`stalled (${stall})`);
  }

  /**
   * A new kafkajs consumer joins the group in place of the current one, which is let go without waiting for
   * it. Handlers are idempotent, so a batch the old one still finishes later changes nothing.
   */
  private replaceConsumer(why: string): void {
    this.restarting = true;
    const old = this.consumer;
    this.joined = false;
    this.problem = `${why}; rejoining`;
    this.watch = new StallWatch(this.stallLimitMs(), Date.now());
    this.consumer = this.createConsumer();
    void old.disconnect().catch(() => undefined);
    this.run()
      .catch((error: unknown) => {
        this.logger.error({ error: String(error) }, 'the new consumer failed to start; trying again');
        this.problem = `${why}; rejoining failed (${String(error)})`;
      })
      .finally(() => {
        this.restarting = false;
      });
  }

  /** One partition batch, its stages watched (a stage that never ends gets the consumer replaced). */
  private async processBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const key = `${payload.batch.topic}:${payload.batch.partition}`;
    const watch = this.watch;
    try {
      await this.eachBatch(consumer, payload, (stage) => watch.enter(key, stage, Date.now()));
    } finally {
      watch.leave(key, Date.now());
    }
  }
}
