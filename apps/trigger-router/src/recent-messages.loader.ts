import { Injectable } from '@nestjs/common';
import type { ConversationKey, RecentMessage } from '@cadence/domain';
import { ConversationActivityRepository } from '@cadence/persistence';

interface Waiting {
  key: ConversationKey;
  resolve: (messages: RecentMessage[]) => void;
  reject: (error: unknown) => void;
}

const keyOf = (key: ConversationKey): string => `${key.accountId}|${key.conversationId}`;

/**
 * The recent messages of conversations the inactivity watcher tracks, for the AI gate's questions. Every
 * request made in one synchronous run (a handler's loop over its batch) is answered by one query, so a batch
 * of AI-cued events costs one round trip, not one per event. An untracked conversation has no messages.
 */
@Injectable()
export class RecentMessagesLoader {
  private waiting: Waiting[] = [];

  constructor(private readonly conversations: ConversationActivityRepository) {}

  recentMessages(key: ConversationKey): Promise<RecentMessage[]> {
    return new Promise((resolve, reject) => {
      // The first request of a run schedules the query for when the run yields; later ones join it.
      if (this.waiting.length === 0) queueMicrotask(() => void this.load());
      this.waiting.push({ key, resolve, reject });
    });
  }

  private async load(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const keys = new Map(batch.map(({ key }) => [keyOf(key), key]));
      const tracked = await this.conversations.find([...keys.values()]);
      const messages = new Map(tracked.map((row) => [keyOf(row), row.recentMessages]));
      for (const { key, resolve } of batch) resolve(messages.get(keyOf(key)) ?? []);
    } catch (error) {
      // The handler's batch fails and is retried, as with any database failure.
      for (const { reject } of batch) reject(error);
    }
  }
}
