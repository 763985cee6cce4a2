import { Inject, Injectable } from '@nestjs/common';
import {
  contactKey,
  type EnrollmentLifecycleEvent,
  type OutboundMessageCommand,
  type Topics,
} from '@cadence/contracts';
import type { LifecyclePublisher, OutboundCommandPublisher } from '@cadence/domain';
import { ContractProducer } from './contract-producer';
import { TOPICS } from './topics.token';

/** Lifecycle events straight to their topic, keyed by contact. */
@Injectable()
export class KafkaLifecyclePublisher implements LifecyclePublisher {
  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  async publish(events: readonly EnrollmentLifecycleEvent[]): Promise<void> {
    await this.producer.send(
      events.map((event) => ({
        topic: this.topics.enrollmentLifecycle,
        key: contactKey(event.accountId, event.contactId),
        value: event,
      })),
    );
  }
}

/** Channel commands to their channel's topic, keyed by contact. */
@Injectable()
export class KafkaOutboundCommandPublisher implements OutboundCommandPublisher {
  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  async publish(commands: readonly OutboundMessageCommand[]): Promise<void> {
    await this.producer.send(
      commands.map((command) => ({
        topic: this.topics.outbound[command.channel],
        key: contactKey(command.accountId, command.contactId),
        value: command,
      })),
    );
  }
}
