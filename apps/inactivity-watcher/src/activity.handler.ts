import { Injectable } from '@nestjs/common';
import { validateConversationActivity, type ConversationActivity } from '@cadence/contracts';
import { ok, type InboundMessage, type MessageResult, type StreamHandler } from '@cadence/kafka';
import { ConversationActivityRepository } from '@cadence/persistence';

/** Records each conversation's last activity and status (one upsert per batch); a message or status change resets its clock. */
@Injectable()
export class ActivityHandler implements StreamHandler<ConversationActivity> {
  readonly name = 'conversation-activity';
  readonly validate = validateConversationActivity;

  constructor(private readonly conversations: ConversationActivityRepository) {}

  async handle(items: ReadonlyArray<InboundMessage<ConversationActivity>>): Promise<MessageResult[]> {
    await this.conversations.upsert(
      items.map(({ value }) => ({
        accountId: value.accountId,
        conversationId: value.conversationId,
        contactId: value.contactId,
        status: value.kind === 'status_change' ? value.status : null,
        at: new Date(value.time),
      })),
    );
    return items.map(() => ok);
  }
}
