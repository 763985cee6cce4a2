import { Inject, Injectable } from '@nestjs/common';
import { contactKey, type DomainEvent, type Topics } from '@cadence/contracts';
import {
  ContractProducer,
  TOPICS,
  ok,
  type InboundMessage,
  type MessageResult,
  type StreamHandler,
} from '@cadence/kafka';
import { validateDomainEvent } from './domain-event.validation';
import { routeDomainEvent } from './route-domain-event';
import { exitCommandForEvent } from './route-exit-events';
import { SequenceTriggerIndex } from './sequence-trigger-index';

/** Domain events → enroll commands for every sequence listening to their type; exit-rule events → exit commands. */
@Injectable()
export class DomainEventsHandler implements StreamHandler<DomainEvent> {
  readonly name = 'domain-events';
  readonly validate = validateDomainEvent;

  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
    private readonly index: SequenceTriggerIndex,
  ) {}

  async handle(items: ReadonlyArray<InboundMessage<DomainEvent>>): Promise<MessageResult[]> {
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
