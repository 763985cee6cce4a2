import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { AccountFacts, Clock } from '@cadence/domain';
import { LOGGER, type ComponentStatus, type Logger } from '@cadence/observability';
import { AdvisoryLease, ConversationActivityRepository } from '@cadence/persistence';
import { ActiveSequences } from '@cadence/read-models';
import { CLOCK, type RoleWorker } from '@cadence/runtime';
import { IdleConversationEnroller } from './idle-conversation-enroller';
import { MINUTE_MS, idleByRule, inactivityRules, limitMs, type InactivityRule } from './inactivity-rules';
import { LateActivityQueue } from './late-activity.queue';

const LATE_CHUNK = 5_000;
/** The advisory lock that elects the one watcher instance that scans the crossing windows. */
const DETECTOR_LOCK_KEY = 0x1dec7;

/**
 * Each tick, for each inactivity rule, reads only the conversations whose limit passed since the previous
 * tick (last activity in (previous − limit, now − limit], an index range, never a full scan) and sends their
 * enroll commands. One watcher instance does that (an advisory lock elects it; another takes over when it goes),
 * starting with a look-back of INACTIVITY_LOOKBACK_MINUTES. Every instance also checks the late arrivals its
 * own consumer queued (see LateActivityQueue).
 */
@Injectable()
export class InactivityDetectorWorker implements RoleWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The end of the last window scanned while leading; null while another instance leads. */
  private previousTick: Date | null = null;
  readonly name = 'inactivity-detector';
  private healthy = false;
  private lastError = 'no tick yet';
  private readonly lease: AdvisoryLease;

  constructor(
    private readonly conversations: ConversationActivityRepository,
    private readonly late: LateActivityQueue,
    private readonly active: ActiveSequences,
    private readonly enroller: IdleConversationEnroller,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.lease = new AdvisoryLease({
      url: config.DATABASE_URL,
      key: DETECTOR_LOCK_KEY,
      onError: (error) => this.logger.warn({ error: String(error) }, 'inactivity detector lease lost'),
    });
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.healthy = false;
          this.lastError = error instanceof Error ? error.message : String(error);
          this.logger.error({ error: String(error) }, 'inactivity tick failed; retrying next tick');
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.INACTIVITY_TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.lease.release();
  }

  status(): ComponentStatus {
    return this.healthy ? { ok: true } : { ok: false, detail: `inactivity tick failed: ${this.lastError}` };
  }

  /** Returns how many enroll commands were sent. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const { sequences, accounts } = this.active.current();
    const rules = sequences.flatMap(inactivityRules);
    const lookbackMs = this.config.INACTIVITY_LOOKBACK_MINUTES * MINUTE_MS;
    this.late.watch(lookbackMs, Math.max(0, ...rules.map((rule) => rule.limitMinutes)) * MINUTE_MS);
    let sent = 0;
    if (await this.lease.hold()) {
      // Newly leading (a start, or a takeover): look back, since the previous leader's last window is unknown.
      const since = this.previousTick ?? new Date(now.getTime() - lookbackMs);
      sent += await this.scanWindows(rules, since, now, accounts);
      this.previousTick = now;
    } else {
      this.previousTick = null;
    }
    sent += await this.enrollLateArrivals(rules, now, new Date(now.getTime() - lookbackMs), accounts);
    this.healthy = true;
    return sent;
  }

  private async scanWindows(
    rules: InactivityRule[],
    since: Date,
    now: Date,
    accounts: Map<string, AccountFacts>,
  ): Promise<number> {
    let sent = 0;
    for (const rule of rules) {
      const idle = await this.conversations.idleBetween(
        rule.accountId,
        rule.statuses,
        new Date(since.getTime() - limitMs(rule)),
        new Date(now.getTime() - limitMs(rule)),
      );
      sent += await this.enroller.enroll(rule, idle, accounts);
    }
    return sent;
  }

  /**
   * Conversations whose activity arrived after their crossing time, which the windows have passed: each is
   * read as it stands now (a newer message may have reset it) and checked against every rule of its account,
   * for crossings within the look-back. A command a window also sent has the same id, decided once.
   */
  private async enrollLateArrivals(
    rules: InactivityRule[],
    now: Date,
    oldestCrossing: Date,
    accounts: Map<string, AccountFacts>,
  ): Promise<number> {
    let sent = 0;
    const waiting = this.late.peek();
    for (let start = 0; start < waiting.length; start += LATE_CHUNK) {
      const chunk = waiting.slice(start, start + LATE_CHUNK);
      const conversations = await this.conversations.find(chunk);
      for (const { rule, idle } of idleByRule(rules, conversations, now, oldestCrossing)) {
        sent += await this.enroller.enroll(rule, idle, accounts);
      }
      this.late.settle(chunk);
    }
    return sent;
  }
}
