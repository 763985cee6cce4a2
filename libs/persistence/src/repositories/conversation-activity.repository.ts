import type { DataSource } from 'typeorm';
import type { ConversationStatus } from '@cadence/contracts';
import {
  RECENT_MESSAGES_KEPT,
  mergeRecentMessages,
  type ActivityUpdate,
  type ConversationKey,
  type IdleConversation,
  type RecentMessage,
  type TimeRange,
  type TrackedConversation,
} from '@cadence/domain';

/** A batch's net change to one conversation: its newest activity, and all the messages it brought. */
type ConversationChange = ActivityUpdate & { messages: RecentMessage[] };

/**
 * The stored recent messages merged with the incoming ones, as `mergeRecentMessages` does: each activity id
 * once (the stored copy first, by ordinality), the newest `RECENT_MESSAGES_KEPT` by time and id, oldest first.
 */
const MERGED_RECENT_MESSAGES = `
  CASE WHEN excluded.recent_messages = '[]'::jsonb THEN c.recent_messages ELSE (
    SELECT COALESCE(jsonb_agg(m ORDER BY (m->>'at')::bigint, m->>'id' COLLATE "C"), '[]'::jsonb)
      FROM (SELECT m
              FROM (SELECT DISTINCT ON (m->>'id') m
                      FROM jsonb_array_elements(c.recent_messages || excluded.recent_messages)
                           WITH ORDINALITY AS e(m, n)
                     ORDER BY m->>'id', n) AS once
             ORDER BY (m->>'at')::bigint DESC, m->>'id' COLLATE "C" DESC
             LIMIT ${RECENT_MESSAGES_KEPT}) AS newest)
  END`;

/** Last activity, status and recent messages per conversation, for the inactivity watcher and the AI gate. */
export class ConversationActivityRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Applies a batch of activity: the newest activity sets the last activity and status; a message without a
   * status keeps the known one (a conversation first seen through a message counts as open). Every message,
   * late ones included, joins the recent messages by its time (each activity id once). Returns the
   * conversations whose last activity, as this batch wrote it, lies in `late` (from, to]: activity that
   * arrived that late.
   */
  async upsert(updates: readonly ActivityUpdate[], late: TimeRange): Promise<ConversationKey[]> {
    if (updates.length === 0) return [];
    const changes = new Map<string, ConversationChange>();
    for (const update of updates) {
      const key = `${update.accountId}|${update.conversationId}`;
      const known = changes.get(key);
      const messages = mergeRecentMessages(known?.messages ?? [], update.message ? [update.message] : []);
      const newest =
        !known || known.at <= update.at
          ? { ...update, status: update.status ?? known?.status ?? null }
          : known;
      changes.set(key, { ...newest, messages });
    }
    const rows = [...changes.values()];
    // Rows that carry a status set it; messages alone keep the known status (new conversations start open).
    const withStatus = await this.write(
      rows.filter((r) => r.status !== null),
      'excluded.status',
      late,
    );
    const messagesOnly = await this.write(
      rows.filter((r) => r.status === null),
      'c.status',
      late,
    );
    return [...withStatus, ...messagesOnly];
  }

  /**
   * One statement per batch. Older activity than the stored one changes nothing but the recent messages, and
   * is then not reported as late (the conversation's last activity did not move).
   */
  private async write(
    rows: readonly ConversationChange[],
    statusOnConflict: 'excluded.status' | 'c.status',
    late: TimeRange,
  ): Promise<ConversationKey[]> {
    if (rows.length === 0) return [];
    return this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
           AS u(account_id, conversation_id, contact_id, status, at, messages)),
       written AS (
         INSERT INTO conversation_activity AS c
                (account_id, conversation_id, contact_id, status, last_activity_at, recent_messages)
         SELECT account_id, conversation_id, contact_id, COALESCE(status, 'open'), at, messages FROM input
         ON CONFLICT (account_id, conversation_id) DO UPDATE
            SET last_activity_at = GREATEST(c.last_activity_at, excluded.last_activity_at),
                contact_id = CASE WHEN c.last_activity_at <= excluded.last_activity_at
                                  THEN excluded.contact_id ELSE c.contact_id END,
                status = CASE WHEN c.last_activity_at <= excluded.last_activity_at
                              THEN ${statusOnConflict} ELSE c.status END,
                recent_messages = ${MERGED_RECENT_MESSAGES}
          WHERE c.last_activity_at <= excluded.last_activity_at OR excluded.recent_messages <> '[]'::jsonb
         RETURNING account_id, conversation_id, last_activity_at)
       SELECT w.account_id AS "accountId", w.conversation_id AS "conversationId"
         FROM written w
         JOIN input i ON i.account_id = w.account_id AND i.conversation_id = w.conversation_id
        WHERE w.last_activity_at = i.at AND w.last_activity_at > $7 AND w.last_activity_at <= $8`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.conversationId),
        rows.map((r) => r.contactId),
        rows.map((r) => r.status),
        rows.map((r) => r.at),
        rows.map((r) => JSON.stringify(r.messages)),
        late.from,
        late.to,
      ],
    );
  }

  /** The current last activity and status of these conversations (those the table knows). */
  async find(keys: readonly ConversationKey[]): Promise<TrackedConversation[]> {
    if (keys.length === 0) return [];
    return this.db.query(
      `SELECT c.account_id AS "accountId", c.conversation_id AS "conversationId", c.contact_id AS "contactId",
              c.status, c.last_activity_at AS "lastActivityAt", c.recent_messages AS "recentMessages"
         FROM unnest($1::uuid[], $2::text[]) AS k(account_id, conversation_id)
         JOIN conversation_activity c ON c.account_id = k.account_id AND c.conversation_id = k.conversation_id`,
      [keys.map((k) => k.accountId), keys.map((k) => k.conversationId)],
    );
  }

  /** Conversations of the account whose last activity lies in (from, to] and whose status is counted. */
  async idleBetween(
    accountId: string,
    statuses: readonly ConversationStatus[],
    from: Date,
    to: Date,
  ): Promise<IdleConversation[]> {
    return this.db.query(
      `SELECT conversation_id AS "conversationId", contact_id AS "contactId", last_activity_at AS "lastActivityAt",
              recent_messages AS "recentMessages"
         FROM conversation_activity
        WHERE account_id = $1 AND last_activity_at > $2 AND last_activity_at <= $3 AND status = ANY($4::text[])`,
      [accountId, from, to, statuses],
    );
  }
}
