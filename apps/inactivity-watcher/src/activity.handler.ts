import { Inject, Injectable } from '@nestjs/common';
import { validateConversationActivity, type ConversationActivity } from '@cadence/contracts';
import { recentMessageOf, type Clock } from '@cadence/domain';
import { ok, type InboundMessage, type MessageResult, type StreamHandler } from '@cadence/kafka';
import { ConversationActivityRepository } from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { LateActivityQueue } from './late-activity.queue';

/**
 * Records each conversation's last activity, status and recent messages (one upsert per batch); a message or
 * status change resets its clock. Activity that arrives after a limit could have passed goes to the late queue.
 */
@Injectable()
export class ActivityHandler implements StreamHandler<ConversationActivity> {
  readonly name = 'conversation-activity';
  readonly validate = validateConversationActivity;

  constructor(
    private readonly conversations: ConversationActivityRepository,
    private readonly late: LateActivityQueue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(items: ReadonlyArray<InboundMessage<ConversationActivity>>): Promise<MessageResult[]> {
    const late = await this.conversations.upsert(
      items.map(({ value }) => ({
        accountId: value.accountId,
        conversationId: value.conversationId,
        contactId: value.contactId,
        status: value.kind === 'status_change' ? value.status : null,
        at: new Date(value.time),
        message: recentMessageOf(value),
      })),
      this.late.lateRange(this.clock.now()),
    );
    this.late.add(late);
    return items.map(() => ok);
  }
}
