import type { DataSource } from 'typeorm';
import type { EventTrace, EventTraceRecord } from '@cadence/domain';

/**
 * The compact trace of every domain event the trigger-router read: which sequences it was routed to (and
 * under which request ids), the exit or opt-out it implied, or why it was refused. One row per event, kept
 * for EVENT_TRACE_RETENTION_HOURS.
 */
export class EventTracesRepository {
  constructor(private readonly db: DataSource) {}

  /** The first trace of an event stands (a redelivery routes it the same way, or the index changed since). */
  async record(rows: readonly EventTraceRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO event_traces (account_id, event_id, event_type, contact_id, routed, exit_rule, refused, received_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[],
                            $8::timestamptz[])
       ON CONFLICT (account_id, event_id) DO NOTHING`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.contactId),
        rows.map((r) => JSON.stringify(r.routed)),
        rows.map((r) => r.implied),
        rows.map((r) => r.refused),
        rows.map((r) => r.receivedAt),
      ],
    );
  }

  async find(accountId: string, eventId: string): Promise<EventTrace | null> {
    const rows: EventTrace[] = await this.db.query(
      `SELECT event_id AS "eventId", event_type AS "eventType", contact_id AS "contactId", routed,
              exit_rule AS "implied", refused, received_at AS "receivedAt"
         FROM event_traces WHERE account_id = $1 AND event_id = $2`,
      [accountId, eventId],
    );
    return rows[0] ?? null;
  }

  /** Drops traces older than `before`, at most `limit` rows per call (short transactions); returns how many. */
  async prune(before: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `DELETE FROM event_traces WHERE ctid IN (
         SELECT ctid FROM event_traces WHERE received_at < $1 ORDER BY received_at LIMIT $2)
       RETURNING 1`,
      [before, limit],
    );
    return rows.length;
  }
}
