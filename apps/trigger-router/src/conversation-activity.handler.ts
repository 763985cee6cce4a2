import { Inject, Injectable } from '@nestjs/common';
import {
  contactKey,
  validateConversationActivity,
  type ConversationActivity,
  type Topics,
} from '@cadence/contracts';
import {
  ContractProducer,
  TOPICS,
  ok,
  type InboundMessage,
  type MessageResult,
  type StreamHandler,
} from '@cadence/kafka';
import { exitCommandForActivity } from './route-exit-events';

/** Replies and resolved conversations → exit commands for the contact's enrollments. */
@Injectable()
export class ConversationActivityHandler implements StreamHandler<ConversationActivity> {
  readonly name = 'conversation-activity-exits';
  readonly validate = validateConversationActivity;

  constructor(
    private readonly producer: ContractProducer,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {}

  async handle(items: ReadonlyArray<InboundMessage<ConversationActivity>>): Promise<MessageResult[]> {
    const exits = items.flatMap((item) =>
      [exitCommandForActivity(item.value)].filter((command) => command !== null),
    );
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
