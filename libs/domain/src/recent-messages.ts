import type { ConversationActivity } from '@cadence/contracts';
import { truncateText } from './bounded-text';

/** One message of a conversation as the inactivity watcher keeps it: the Maestro's view of the conversation. */
export interface RecentMessage {
  /** The activity's id: a redelivered or replayed message is kept once. */
  id: string;
  direction: 'inbound' | 'outbound';
  /** Epoch milliseconds. */
  at: number;
  /** At most `RECENT_MESSAGE_TEXT_MAX` characters; null when the inbox did not share the text. */
  text: string | null;
}

/** Messages kept per conversation: enough for the Maestro to see where the conversation stopped. */
export const RECENT_MESSAGES_KEPT = 5;
/** Characters kept of each message's text (the activity carries up to 2,000). */
export const RECENT_MESSAGE_TEXT_MAX = 500;

/** The message an activity records, bounded as it is kept; null for a status change. */
export function recentMessageOf(activity: ConversationActivity): RecentMessage | null {
  if (activity.kind !== 'message' || activity.direction === null) return null;
  const text = activity.text ?? null;
  return {
    id: activity.id,
    direction: activity.direction,
    at: activity.time,
    text: text === null ? null : truncateText(text, RECENT_MESSAGE_TEXT_MAX),
  };
}

/** Time order, then id: the same order as the upsert's SQL (`ORDER BY at, id COLLATE "C"`). */
const byTime = (a: RecentMessage, b: RecentMessage): number =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The newest `kept` of both lists, oldest first, each activity id once (the known copy wins). Arrival order
 * does not matter: a late message takes its place by time, and one older than all kept ones is dropped.
 */
export function mergeRecentMessages(
  known: readonly RecentMessage[],
  incoming: readonly RecentMessage[],
  kept = RECENT_MESSAGES_KEPT,
): RecentMessage[] {
  const byId = new Map<string, RecentMessage>();
  for (const message of [...known, ...incoming]) if (!byId.has(message.id)) byId.set(message.id, message);
  return [...byId.values()].sort(byTime).slice(-kept);
}
