import { liveKeyParams } from '../live-key-params';
import type { DataSource, EntityManager } from 'typeorm';
import { liveKeyString, type ContactPreference, type DailyCount, type LiveKey } from '@cadence/domain';

/**
 * The facts of the refusals that look at a contact's past: opt-outs, the last ended enrollment per live key
 * (re-entry) and the per-day counters of capped sequences; and the writes that keep them.
 */
export class DecisionFactsRepository {
  constructor(private readonly db: DataSource) {}

  /** `accountId|contactId` of the contacts whose latest change was an opt-out. */
  async findOptedOut(
    contacts: ReadonlyArray<{ accountId: string; contactId: string }>,
  ): Promise<Set<string>> {
    if (contacts.length === 0) return new Set();
    const rows: Array<{ account_id: string; contact_id: string }> = await this.db.query(
      `SELECT o.account_id, o.contact_id
         FROM unnest($1::uuid[], $2::text[]) AS k(account_id, contact_id)
         JOIN contact_opt_outs o ON o.account_id = k.account_id AND o.contact_id = k.contact_id
        WHERE o.opted_out`,
      [contacts.map((c) => c.accountId), contacts.map((c) => c.contactId)],
    );
    return new Set(rows.map((row) => `${row.account_id}|${row.contact_id}`));
  }

  /** When each key's last ended enrollment ended (one index probe per key). */
  async findLastEnded(keys: readonly LiveKey[]): Promise<Map<string, Date>> {
    if (keys.length === 0) return new Map();
    const rows: Array<LiveKey & { endedAt: Date }> = await this.db.query(
      `SELECT k.account_id AS "accountId", k.sequence_id AS "sequenceId", k.contact_id AS "contactId",
              k.target_type AS "targetType", k.target_id AS "targetId", e.ended_at AS "endedAt"
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])
           AS k(account_id, sequence_id, contact_id, target_type, target_id)
        CROSS JOIN LATERAL (
          SELECT e.ended_at FROM enrollments e
           WHERE e.account_id = k.account_id AND e.contact_id = k.contact_id AND e.sequence_id = k.sequence_id
             AND e.target_type = k.target_type AND e.target_id = k.target_id
             AND e.state IN ('completed', 'exited', 'cancelled') AND e.ended_at IS NOT NULL
           ORDER BY e.ended_at DESC
           LIMIT 1) e`,
      liveKeyParams(keys),
    );
    return new Map(rows.map((row) => [liveKeyString(row), new Date(row.endedAt)]));
  }

  /** `sequenceId|day` → enrollments counted. */
  async findDailyCounts(
    keys: ReadonlyArray<{ accountId: string; sequenceId: string; day: string }>,
  ): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows: Array<{ sequence_id: string; day: string; enrolled: number }> = await this.db.query(
      `SELECT c.sequence_id, to_char(c.day, 'YYYY-MM-DD') AS day, c.enrolled
         FROM unnest($1::uuid[], $2::date[]) AS k(sequence_id, day)
         JOIN sequence_daily_counts c ON c.sequence_id = k.sequence_id AND c.day = k.day`,
      [keys.map((k) => k.sequenceId), keys.map((k) => k.day)],
    );
    return new Map(rows.map((row) => [`${row.sequence_id}|${row.day}`, row.enrolled]));
  }

  /** Opt-outs and opt-ins: a change older than the stored one (a late event) changes nothing. */
  async applyPreferences(tx: EntityManager, rows: readonly ContactPreference[]): Promise<void> {
    // One row per contact per statement (ON CONFLICT may not touch a row twice): the latest of the batch.
    const latest = new Map<string, ContactPreference>();
    for (const row of rows) {
      const key = `${row.accountId}|${row.contactId}`;
      const seen = latest.get(key);
      if (!seen || seen.at.getTime() <= row.at.getTime()) latest.set(key, row);
    }
    const unique = [...latest.values()];
    if (unique.length === 0) return;
    await tx.query(
      `INSERT INTO contact_opt_outs (account_id, contact_id, opted_out, changed_at, request_id, cause)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[], $5::text[], $6::text[])
       ON CONFLICT (account_id, contact_id) DO UPDATE
          SET opted_out = excluded.opted_out, changed_at = excluded.changed_at,
              request_id = excluded.request_id, cause = excluded.cause
        WHERE contact_opt_outs.changed_at <= excluded.changed_at`,
      [
        unique.map((r) => r.accountId),
        unique.map((r) => r.contactId),
        unique.map((r) => r.optedOut),
        unique.map((r) => r.at),
        unique.map((r) => r.requestId),
        unique.map((r) => r.cause),
      ],
    );
  }

  /**
   * Adds the batch's enrollments to each capped sequence's counter of the day. The counter row stays locked
   * until the commit, so lanes adding to one sequence queue here; returns the counts now above their cap.
   */
  async addDailyCounts(tx: EntityManager, rows: readonly DailyCount[]): Promise<DailyCount[]> {
    if (rows.length === 0) return [];
    const totals: Array<{ sequence_id: string; day: string; enrolled: number }> = await tx.query(
      `INSERT INTO sequence_daily_counts (account_id, sequence_id, day, enrolled)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[])
       ON CONFLICT (sequence_id, day) DO UPDATE SET enrolled = sequence_daily_counts.enrolled + excluded.enrolled
       RETURNING sequence_id, to_char(day, 'YYYY-MM-DD') AS day, enrolled`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.sequenceId),
        rows.map((r) => r.day),
        rows.map((r) => r.enrolled),
      ],
    );
    return rows.filter((row) =>
      totals.some((t) => t.sequence_id === row.sequenceId && t.day === row.day && t.enrolled > row.cap),
    );
  }
}
