import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { contactKey, type ConversationActivity, type Topics } from '@cadence/contracts';
import {
  BatchConsumer,
  ContractProducer,
  FatalErrors,
  SchemaCodec,
  TOPICS,
  ok,
  type InboundMessage,
  type MessageResult,
} from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import type { RoleWorker } from '@cadence/runtime';
import { validateConversationActivity } from './conversation-activity.validation';
import { exitCommandForActivity } from './route-exit-events';

/** Turns replies and resolved conversations into exit commands for the contact's enrollments. */
@Injectable()
export class ConversationActivityConsumer implements RoleWorker {
  private readonly consumer: BatchConsumer<ConversationActivity>;

  constructor(
    kafka: Kafka,
    codec: SchemaCodec,
    private readonly producer: ContractProducer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(LOGGER) logger: Logger,
    fatalErrors: FatalErrors,
  ) {
    this.consumer = new BatchConsumer(kafka, codec, producer.producer, logger, {
      groupId: `${config.CONSUMER_GROUP_PREFIX}trigger-router.exits`,
      topics: [topics.conversationActivity],
      partitionsConsumedConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
      fatalErrors,
      handler: {
        name: 'conversation-activity-exits',
        validate: validateConversationActivity,
        handle: (items) => this.handle(items),
      },
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  isReady(): boolean {
    return this.consumer.isReady();
  }

  private async handle(items: ReadonlyArray<InboundMessage<ConversationActivity>>): Promise<MessageResult[]> {
    const exits = items.flatMap((item) => exitCommandForActivity(item.value) ?? []);
    await this.producer.send(
      exits.map((command) => ({
        topic: this.topics.enrollmentCommands,
        key: contactKey(command.accountId, command.contactId),
        value: command,
      })),
    );
    return items.map(() => ok);
  }
}
