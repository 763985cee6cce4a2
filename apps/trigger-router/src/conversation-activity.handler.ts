import { Injectable } from '@nestjs/common';
import { validateConversationActivity, type ConversationActivity } from '@cadence/contracts';
import {
  EnrollmentCommandsPublisher,
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

  constructor(private readonly commands: EnrollmentCommandsPublisher) {}

  async handle(items: ReadonlyArray<InboundMessage<ConversationActivity>>): Promise<MessageResult[]> {
    await this.commands.publish(
      items.flatMap((item) => [exitCommandForActivity(item.value)].filter((c) => c !== null)),
    );
    return items.map(() => ok);
  }
}
