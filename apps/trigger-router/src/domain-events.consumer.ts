import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import { contactKey, type DomainEvent, type Topics } from '@cadence/contracts';
import {
  BatchConsumer,
  FatalErrors,
  ContractProducer,
  SchemaCodec,
  TOPICS,
  ok,
  type InboundMessage,
  type MessageResult,
} from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import type { RoleWorker } from '@cadence/runtime';
import { validateDomainEvent } from './domain-event.validation';
import { routeDomainEvent } from './route-domain-event';
import { exitCommandForEvent } from './route-exit-events';
import { SequenceTriggerIndex } from './sequence-trigger-index';

/** Turns domain events into enroll commands for every sequence listening to their type, and exit-rule events into exit commands. */
@Injectable()
export class DomainEventsConsumer implements RoleWorker {
  private readonly consumer: BatchConsumer<DomainEvent>;

  constructor(
    kafka: Kafka,
    codec: SchemaCodec,
    private readonly producer: ContractProducer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(LOGGER) logger: Logger,
    fatalErrors: FatalErrors,
    private readonly index: SequenceTriggerIndex,
  ) {
    this.consumer = new BatchConsumer(kafka, codec, producer.producer, logger, {
      groupId: `${config.CONSUMER_GROUP_PREFIX}trigger-router`,
      topics: [topics.domainEvents],
      partitionsConsumedConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY,
      fatalErrors,
      handler: {
        name: 'domain-events',
        validate: validateDomainEvent,
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

  private async handle(items: ReadonlyArray<InboundMessage<DomainEvent>>): Promise<MessageResult[]> {
    const commands = items.flatMap((item) => [
      ...routeDomainEvent(item.value, this.index.listeners(item.value.accountId, item.value.type)),
      ...[exitCommandForEvent(item.value)].filter((command) => command !== null),
    ]);
    await this.producer.send(
      commands.map((command) => ({
        topic: this.topics.enrollmentCommands,
        key: contactKey(command.accountId, command.contactId),
        value: command,
      })),
    );
    return items.map(() => ok);
  }
}
