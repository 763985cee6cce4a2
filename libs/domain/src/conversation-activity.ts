import type { ConversationStatus } from '@cadence/contracts';

/** Conversations as the inactivity watcher tracks them: last activity and status. */

export interface ActivityUpdate {
  accountId: string;
  conversationId: string;
  contactId: string;
  /** The status after this activity (a message keeps the previous one; see `upsert`). */
  status: ConversationStatus | null;
  at: Date;
}

export interface IdleConversation {
  conversationId: string;
  contactId: string;
  lastActivityAt: Date;
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
