import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { allTopics, dlqTopic, type Topics } from '@cadence/contracts';
import {
  TOPICS,
  readDeadLetters,
  replayDeadLetters,
  type DeadLetterSummary,
  type ReplayReport,
} from '@cadence/kafka';
import { AccountAuditRepository } from '@cadence/persistence';
import type { Caller } from '../http/api-key.guard';

/** How long a listing may read dead-letter topics before it answers with what it read (`complete: false`). */
const READ_TIMEOUT_MS = 5_000;

export type DeadLetterView = Omit<DeadLetterSummary, 'topic'>;

/**
 * The dead letters of the caller's account: those whose `dlq-account-id` header names it (the DLQ publisher
 * sets it when the message's value or key names an account). Other accounts' letters, and letters that name
 * no account, are never shown, counted or replayed here.
 */
@Injectable()
export class DeadLettersService {
  private readonly dlqTopics: string[];

  constructor(
    private readonly kafka: Kafka,
    private readonly audit: AccountAuditRepository,
    @Inject(TOPICS) topics: Topics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.dlqTopics = allTopics(topics).map(dlqTopic);
  }

  async topics(caller: Caller) {
    const reading = await this.read(caller, this.dlqTopics);
    return {
      topics: [...reading.letters].map(([topic, letters]) => ({
        topic,
        count: letters.length,
        pending: letters.filter((letter) => !letter.replayed).length,
      })),
      complete: reading.complete,
    };
  }

  async latest(caller: Caller, topic: string, limit: number) {
    const reading = await this.read(caller, [this.known(topic)]);
    const letters = reading.letters.get(topic);
    if (!letters) throw new NotFoundException(`no dead-letter topic ${topic}`);
    const newestFirst = [...letters].sort(
      (a, b) => b.at.localeCompare(a.at) || Number(BigInt(b.offset) - BigInt(a.offset)),
    );
    return {
      items: newestFirst.slice(0, limit).map(({ topic: _topic, ...letter }): DeadLetterView => letter),
      complete: reading.complete,
    };
  }

  /**
   * Sends the account's letters of `topic` back to their original topics, each once (the account's replay
   * group keeps the progress). Kafka and the audit share no transaction, so the audit records the start before
   * the first letter is sent (a replay cut short still shows who started it) and the report once it is done.
   */
  async replay(caller: Caller, topic: string): Promise<ReplayReport> {
    this.known(topic);
    const actor = { apiKeyId: caller.apiKeyId };
    await this.audit.record({
      accountId: caller.accountId,
      actor,
      action: 'dead_letters.replay_started',
      target: topic,
      change: {},
    });
    const report = await replayDeadLetters(this.kafka, topic, this.replayGroup(caller), {
      accountId: caller.accountId,
    }).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('no topic named'))
        throw new NotFoundException(`no dead-letter topic ${topic}`);
      throw error;
    });
    await this.audit.record({
      accountId: caller.accountId,
      actor,
      action: 'dead_letters.replayed',
      target: topic,
      change: { ...report },
    });
    return report;
  }

  private read(caller: Caller, topics: readonly string[]) {
    return readDeadLetters(this.kafka, topics, {
      accountId: caller.accountId,
      groupId: `${this.config.CONSUMER_GROUP_PREFIX}dlq-read.${randomUUID()}`,
      replayGroupId: this.replayGroup(caller),
      timeoutMs: READ_TIMEOUT_MS,
    });
  }

  private replayGroup(caller: Caller): string {
    return `${this.config.CONSUMER_GROUP_PREFIX}dlq-replay.${caller.accountId}`;
  }

  private known(topic: string): string {
    if (!this.dlqTopics.includes(topic)) throw new NotFoundException(`no dead-letter topic ${topic}`);
    return topic;
  }
}
