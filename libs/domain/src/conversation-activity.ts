import type { ConversationStatus } from '@cadence/contracts';
import type { RecentMessage } from './recent-messages';

/** Conversations as the inactivity watcher tracks them: last activity and status. */

export interface ActivityUpdate {
  accountId: string;
  conversationId: string;
  contactId: string;
  /** The status after this activity (a message keeps the previous one; see `upsert`). */
  status: ConversationStatus | null;
  at: Date;
  /** The message this activity is, kept among the conversation's recent ones; null for a status change. */
  message: RecentMessage | null;
}

export interface IdleConversation {
  conversationId: string;
  contactId: string;
  lastActivityAt: Date;
  /** The conversation's last messages, oldest first (`RECENT_MESSAGES_KEPT` at most). */
  recentMessages: RecentMessage[];
}

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface ConversationKey {
  accountId: string;
  conversationId: string;
}

export interface TrackedConversation extends IdleConversation, ConversationKey {
  status: ConversationStatus;
}
