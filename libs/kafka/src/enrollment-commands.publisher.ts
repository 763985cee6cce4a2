import { Inject, Injectable } from '@nestjs/common';
import { contactKey, type EnrollmentCommand, type Topics } from '@cadence/contracts';
import { ContractProducer } from './contract-producer';
import { withinDeadline } from './kafka-unavailable';
import { TOPICS } from './topics.token';

/** Hands commands to the enrollment app, keyed by contact, so all decisions about a contact share one lane. */
@Injectable()
export class EnrollmentCommandsPublisher {
  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  /** With `timeoutMs`, a KafkaUnavailableError once that time passed without the brokers' acknowledgement. */
  async publish(commands: readonly EnrollmentCommand[], options: { timeoutMs?: number } = {}): Promise<void> {
    const sent = this.send(commands);
    await (options.timeoutMs === undefined ? sent : withinDeadline(sent, options.timeoutMs));
  }

  private async send(commands: readonly EnrollmentCommand[]): Promise<void> {
    await this.producer.send(
      commands.map((command) => ({
        topic: this.topics.enrollmentCommands,
        key: contactKey(command.accountId, command.contactId),
        value: command,
      })),
    );
  }
}
