import type { DataSource } from 'typeorm';
import type { DroppedRows } from '@cadence/domain';

const count = (rows: Array<{ n: string | number }>): number => Number(rows[0]?.n ?? 0);

/**
 * Drops what is older than the retention, a chunk per statement (short transactions, a bounded lock set):
 * enrollments that ended before it with their history and their decision, refusals (ignored decisions)
 * decided before it, accepted requests and daily-cap counters of before it. Live enrollments, and the decision
 * and history of each, are kept whatever their age.
 *
 * The funnel's counters (`sequence_funnel_counts`) are not decremented for what is dropped here: they are
 * lifetime totals of what happened (entered, sent, completed, exited), and only ended enrollments are dropped,
 * which no gauge (`active`, `paused`) counts any more.
 */
export class RetentionRepository {
  constructor(private readonly db: DataSource) {}

  /** One chunk of ended enrollments, their history rows and the decisions that made them. */
  async dropEndedEnrollments(
    before: Date,
    limit: number,
  ): Promise<Pick<DroppedRows, 'enrollments' | 'history' | 'decisions'>> {
    const rows: Array<{ enrollments: string; history: string; decisions: string }> = await this.db.query(
      `WITH gone AS (
         DELETE FROM enrollments WHERE id IN (
           SELECT id FROM enrollments WHERE ended_at < $1 ORDER BY ended_at LIMIT $2)
         RETURNING id, account_id, request_id),
       history AS (
         DELETE FROM enrollment_history h USING gone WHERE h.enrollment_id = gone.id RETURNING 1),
       decisions AS (
         DELETE FROM enrollment_decisions d USING gone
          WHERE d.account_id = gone.account_id AND d.request_id = gone.request_id RETURNING 1)
       SELECT (SELECT count(*) FROM gone) AS enrollments, (SELECT count(*) FROM history) AS history,
              (SELECT count(*) FROM decisions) AS decisions`,
      [before, limit],
    );
    const [row] = rows;
    return {
      enrollments: Number(row?.enrollments ?? 0),
      history: Number(row?.history ?? 0),
      decisions: Number(row?.decisions ?? 0),
    };
  }

  /** One chunk of refusals (decisions that made no enrollment) decided before `before`. */
  async dropRefusals(before: Date, limit: number): Promise<number> {
    return count(
      await this.db.query(
        `WITH gone AS (
           DELETE FROM enrollment_decisions WHERE ctid IN (
             SELECT ctid FROM enrollment_decisions WHERE decided_at < $1 AND enrollment_id IS NULL LIMIT $2)
           RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [before, limit],
      ),
    );
  }

  async dropAcceptedRequests(before: Date, limit: number): Promise<number> {
    return count(
      await this.db.query(
        `WITH gone AS (
           DELETE FROM accepted_requests WHERE ctid IN (
             SELECT ctid FROM accepted_requests WHERE accepted_at < $1 LIMIT $2)
           RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [before, limit],
      ),
    );
  }

  async dropDailyCounts(before: Date): Promise<number> {
    return count(
      await this.db.query(
        `WITH gone AS (DELETE FROM sequence_daily_counts WHERE day < $1::date - 1 RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [before],
      ),
    );
  }
}
