import type { DataSource } from 'typeorm';
import type { ConversationStatus } from '@cadence/contracts';
import type {
  ActivityUpdate,
  ConversationKey,
  IdleConversation,
  TimeRange,
  TrackedConversation,
} from '@cadence/domain';

/** Last activity and status per conversation, for the inactivity watcher. */
export class ConversationActivityRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Applies a batch of activity: the newest activity wins; a message without a status keeps the known one
   * (a conversation first seen through a message counts as open). Returns the conversations whose last
   * activity, as written, lies in `late` (from, to]: activity that arrived that late.
   */
  async upsert(updates: readonly ActivityUpdate[], late: TimeRange): Promise<ConversationKey[]> {
    if (updates.length === 0) return [];
    const latest = new Map<string, ActivityUpdate>();
    for (const update of updates) {
      const key = `${update.accountId}|${update.conversationId}`;
      const known = latest.get(key);
      if (!known || known.at <= update.at)
        latest.set(key, { ...update, status: update.status ?? known?.status ?? null });
    }
    const rows = [...latest.values()];
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

  private async write(
    rows: readonly ActivityUpdate[],
    statusOnConflict: 'excluded.status' | 'c.status',
    late: TimeRange,
  ): Promise<ConversationKey[]> {
    if (rows.length === 0) return [];
    return this.db.query(
      `WITH written AS (
       INSERT INTO conversation_activity AS c (account_id, conversation_id, contact_id, status, last_activity_at)
       SELECT account_id, conversation_id, contact_id, COALESCE(status, 'open'), at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
           AS u(account_id, conversation_id, contact_id, status, at)
       ON CONFLICT (account_id, conversation_id) DO UPDATE
          SET last_activity_at = excluded.last_activity_at, contact_id = excluded.contact_id,
              status = ${statusOnConflict}
        WHERE c.last_activity_at <= excluded.last_activity_at
       RETURNING account_id, conversation_id, last_activity_at)
       SELECT account_id AS "accountId", conversation_id AS "conversationId" FROM written
        WHERE last_activity_at > $6 AND last_activity_at <= $7`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.conversationId),
        rows.map((r) => r.contactId),
        rows.map((r) => r.status),
        rows.map((r) => r.at),
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
              c.status, c.last_activity_at AS "lastActivityAt"
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
      `SELECT conversation_id AS "conversationId", contact_id AS "contactId", last_activity_at AS "lastActivityAt"
         FROM conversation_activity
        WHERE account_id = $1 AND last_activity_at > $2 AND last_activity_at <= $3 AND status = ANY($4::text[])`,
      [accountId, from, to, statuses],
    );
  }
}
