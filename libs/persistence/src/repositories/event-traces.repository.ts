import type { DataSource } from 'typeorm';
import { ENROLLMENT_METHODS, isOneOf } from '@cadence/contracts';
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
      `INSERT INTO event_traces
         (account_id, event_id, event_type, contact_id, routed, routed_methods, exit_rule, refused, received_at)
       SELECT u.account_id, u.event_id, u.event_type, u.contact_id,
              string_to_array(u.routed, ',')::uuid[], string_to_array(u.methods, ','), u.implied, u.refused,
              u.received_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::timestamptz[])
           AS u(account_id, event_id, event_type, contact_id, routed, methods, implied, refused, received_at)
       ON CONFLICT (account_id, event_id) DO NOTHING`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.contactId),
        // Two parallel arrays per row, sent as comma-joined text (uuids and method names hold no comma).
        rows.map((r) => r.routed.map((route) => route.sequenceId).join(',')),
        rows.map((r) => r.routed.map((route) => route.method).join(',')),
        rows.map((r) => r.implied),
        rows.map((r) => r.refused),
        rows.map((r) => r.receivedAt),
      ],
    );
  }

  async find(accountId: string, eventId: string): Promise<EventTrace | null> {
    const rows: Array<Omit<EventTrace, 'routed'> & { routed: string[]; methods: string[] }> =
      await this.db.query(
        `SELECT event_id AS "eventId", event_type AS "eventType", contact_id AS "contactId", routed::text[] AS routed,
              routed_methods AS methods, exit_rule AS "implied", refused, received_at AS "receivedAt"
         FROM event_traces WHERE account_id = $1 AND event_id = $2`,
        [accountId, eventId],
      );
    const [row] = rows;
    if (!row) return null;
    const { methods, ...trace } = row;
    return {
      ...trace,
      routed: row.routed.flatMap((sequenceId, i) => {
        const method = methods[i] ?? '';
        return isOneOf(ENROLLMENT_METHODS, method) ? [{ sequenceId, method }] : [];
      }),
    };
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
