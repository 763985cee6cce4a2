import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { EnrollmentCommand } from '@cadence/contracts';
import type { AccountFacts, Clock } from '@cadence/domain';
import { EnrollmentCommandsPublisher } from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import { AiGate } from '@cadence/maestro';
import { ActiveSequences, ConversationActivityRepository, type IdleConversation } from '@cadence/persistence';
import { CLOCK, type RoleWorker } from '@cadence/runtime';
import {
  idleByRule,
  inactivityEnrollCommand,
  inactivityRules,
  type InactivityRule,
} from './inactivity-rules';
import { LateActivityQueue } from './late-activity.queue';

const MINUTE_MS = 60_000;
const LATE_CHUNK = 5_000;

/**
 * Each tick, for each inactivity rule, reads only the conversations whose limit passed since the previous
 * tick (last activity in (previous − limit, now − limit], an index range, never a full scan) and sends their
 * enroll commands; then the late arrivals (see LateActivityQueue). After a restart it looks back
 * INACTIVITY_LOOKBACK_MINUTES; re-sent commands keep their ids.
 */
@Injectable()
export class InactivityDetectorWorker implements RoleWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private previousTick: Date | undefined;
  private healthy = false;

  constructor(
    private readonly conversations: ConversationActivityRepository,
    private readonly late: LateActivityQueue,
    private readonly active: ActiveSequences,
    private readonly gate: AiGate,
    private readonly commands: EnrollmentCommandsPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.previousTick = new Date(
      this.clock.now().getTime() - this.config.INACTIVITY_LOOKBACK_MINUTES * MINUTE_MS,
    );
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.healthy = false;
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
  }

  isReady(): boolean {
    return this.healthy;
  }

  /** Returns how many enroll commands were sent. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const since = this.previousTick ?? now;
    const { sequences, accounts } = this.active.current();
    const rules = sequences.flatMap(inactivityRules);
    const lookbackMs = this.config.INACTIVITY_LOOKBACK_MINUTES * MINUTE_MS;
    this.late.watch(lookbackMs, Math.max(0, ...rules.map((rule) => rule.limitMinutes)) * MINUTE_MS);
    let sent = 0;
    for (const rule of rules) {
      const limitMs = rule.limitMinutes * MINUTE_MS;
      const idle = await this.conversations.idleBetween(
        rule.accountId,
        rule.statuses,
        new Date(since.getTime() - limitMs),
        new Date(now.getTime() - limitMs),
      );
      sent += await this.enroll(rule, idle, accounts);
    }
    sent += await this.enrollLateArrivals(rules, now, new Date(now.getTime() - lookbackMs), accounts);
    this.previousTick = now;
    this.healthy = true;
    return sent;
  }

  /**
   * Conversations whose activity arrived after their crossing time, which the windows above have passed:
   * each is read as it stands now (a newer message may have reset it) and checked against every rule of its
   * account, for crossings within the look-back. A command a window also sent has the same id, decided once.
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
        sent += await this.enroll(rule, idle, accounts);
      }
      this.late.settle(chunk);
    }
    return sent;
  }

  private async enroll(
    rule: InactivityRule,
    idle: IdleConversation[],
    accounts: Map<string, AccountFacts>,
  ): Promise<number> {
    const limitMs = rule.limitMinutes * MINUTE_MS;
    const commands = idle.map((conversation) =>
      inactivityEnrollCommand(
        rule,
        conversation,
        new Date(new Date(conversation.lastActivityAt).getTime() + limitMs),
      ),
    );
    if (rule.method === 'ai' && accounts.get(rule.accountId)?.maestroEnabled) {
      // An AI trigger cued by inactivity: each command goes out as soon as its own Maestro answer arrives.
      await Promise.all(
        commands.map(async (command) => this.send([await this.afterGate(command, rule.sequenceId)])),
      );
    } else {
      await this.send(commands);
    }
    return commands.length;
  }

  private async afterGate(command: EnrollmentCommand, sequenceId: string): Promise<EnrollmentCommand> {
    const { verdict, reason } = await this.gate.ask({
      accountId: command.accountId,
      contactId: command.contactId,
      sequenceId,
      eventType: 'conversation.inactive',
      conversationId: command.provenance.conversationId,
      data: {},
    });
    return {
      ...command,
      provenance: { ...command.provenance, maestroVerdict: verdict, maestroReason: reason },
    };
  }

  private send(commands: EnrollmentCommand[]): Promise<void> {
    return this.commands.publish(commands);
  }
}
