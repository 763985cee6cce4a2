import type { EntityManager } from 'typeorm';
import type { ClaimedStep, StepAdvanceRow, StepDeferral, StepParking } from '@cadence/domain';

/** The step-runner's view of enrollments: due steps claimed with SKIP LOCKED, then advanced. */
export class DueStepsRepository {
  /**
   * Locks up to `limit` due steps for this transaction; other runners skip them. The definition and zone come
   * back as stored: the planner checks them and parks a step they cannot serve.
   */
  async claimDue(tx: EntityManager, now: Date, limit: number): Promise<ClaimedStep[]> {
    return tx.query(
      `SELECT e.id AS "enrollmentId", e.account_id AS "accountId", e.contact_id AS "contactId",
              e.sequence_id AS "sequenceId", e.sequence_version AS "sequenceVersion",
              e.next_step_index AS "stepIndex", e.target_type AS "targetType", e.target_id AS "targetId",
              e.next_step_due_at AS "dueAt", v.definition, a.time_zone AS "timeZone",
              a.send_window AS "accountSendWindow",
              EXISTS (SELECT 1 FROM contact_opt_outs o
                       WHERE o.account_id = e.account_id AND o.contact_id = e.contact_id AND o.opted_out)
                AS "optedOut"
         FROM enrollments e
         JOIN sequence_versions v ON v.sequence_id = e.sequence_id AND v.version = e.sequence_version
         JOIN accounts a ON a.id = e.account_id
        WHERE e.state = 'active' AND e.next_step_due_at <= $1
        ORDER BY e.next_step_due_at
        LIMIT $2
          FOR UPDATE OF e SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Moves claimed steps that fell due outside their send window to the window's next opening. */
  async defer(tx: EntityManager, rows: readonly StepDeferral[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE enrollments e SET next_step_due_at = u.until, row_version = e.row_version + 1, updated_at = $3
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, until)
        WHERE e.id = u.id AND e.state = 'active'`,
      [rows.map((r) => r.enrollmentId), rows.map((r) => r.until), now],
    );
  }

  /**
   * Takes claimed steps that cannot be planned out of the due index, with their reason; the enrollment stays
   * active (so it still holds its live slot and can be paused, resumed, exited or cancelled).
   */
  async park(tx: EntityManager, rows: readonly StepParking[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE enrollments e SET next_step_due_at = NULL, parked_reason = u.reason,
              row_version = e.row_version + 1, updated_at = $3
         FROM unnest($1::uuid[], $2::text[]) AS u(id, reason)
        WHERE e.id = u.id AND e.state = 'active'`,
      [rows.map((r) => r.enrollmentId), rows.map((r) => r.reason), now],
    );
  }

  /** Moves each claimed enrollment to its next step, completes or exits it (guarded by state). */
  async advance(tx: EntityManager, rows: readonly StepAdvanceRow[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE enrollments e
          SET next_step_index = u.next_index, next_step_due_at = u.next_due_at, state = u.state,
              row_version = e.row_version + 1, updated_at = $5,
              ended_at = CASE WHEN u.end_reason IS NULL THEN e.ended_at ELSE $5 END,
              end_reason = COALESCE(u.end_reason, e.end_reason)
         FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $6::text[])
           AS u(id, next_index, next_due_at, state, end_reason)
        WHERE e.id = u.id AND e.state = 'active'`,
      [
        rows.map((r) => r.enrollmentId),
        rows.map((r) => r.nextStepIndex),
        rows.map((r) => r.nextDueAt),
        rows.map((r) => r.state),
        now,
        rows.map((r) => r.endReason),
      ],
    );
  }
}
