import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { EnrollmentCommand, Topics } from '@cadence/contracts';
import {
  BatchConsumer,
  ContractProducer,
  SchemaCodec,
  TOPICS,
  ok,
  toDlq,
  type InboundMessage,
  type MessageResult,
} from '@cadence/kafka';
import { LOGGER, type Logger } from '@cadence/observability';
import type { RoleWorker } from '@cadence/runtime';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { validateEnrollmentCommand } from './enroll-command.validation';
import { OutboxRelay } from '@cadence/runtime';

/** Consumes enroll commands (from every entry point) in per-partition batches. */
@Injectable()
export class EnrollmentCommandsConsumer implements RoleWorker {
  private readonly consumer: BatchConsumer<EnrollmentCommand>;

  constructor(
    kafka: Kafka,
    codec: SchemaCodec,
    producer: ContractProducer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(TOPICS) topics: Topics,
    @Inject(LOGGER) logger: Logger,
    private readonly decide: DecideEnrollmentsUseCase,
    private readonly relay: OutboxRelay,
  ) {
    this.consumer = new BatchConsumer(kafka, codec, producer.producer, logger, {
      groupId: `${config.CONSUMER_GROUP_PREFIX}enrollment`,
      topics: [topics.enrollmentCommands, topics.automationCommands],
      partitionsConsumedConcurrently: 3,
      handler: {
        name: 'enrollment-commands',
        validate: validateEnrollmentCommand,
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

  private async handle(items: ReadonlyArray<InboundMessage<EnrollmentCommand>>): Promise<MessageResult[]> {
    const enrolls = items.filter((item) => item.value.kind === 'enroll').map((item) => item.value);
    const decided = await this.decide.execute(enrolls);
    if (decided > 0) this.relay.nudge();
    return items.map((item) =>
      item.value.kind === 'enroll'
        ? ok
        : toDlq(
            'rejected',
            `command kind "${item.value.kind}" is not handled by this version of the enrollment app`,
          ),
    );
  }
}
