import type { EntityManager } from 'typeorm';
import type { LockedEnrollment, TransitionRow } from '@cadence/domain';

const SELECT_LOCKED = `
  SELECT e.id, e.account_id AS "accountId", e.contact_id AS "contactId", e.sequence_id AS "sequenceId",
         e.sequence_version AS "sequenceVersion", e.target_type AS "targetType", e.target_id AS "targetId",
         e.state, e.next_step_index AS "nextStepIndex", e.next_step_due_at AS "nextStepDueAt",
         e.row_version AS "rowVersion", e.created_at AS "createdAt", v.definition
    FROM enrollments e
    JOIN sequence_versions v ON v.sequence_id = e.sequence_id AND v.version = e.sequence_version`;

/**
 * Pause, resume, cancel and exit: rows are locked in the deciding transaction (so a step-runner claim waits
 * or skips them) and updated only if their row_version is still the one that was read.
 */
export class EnrollmentTransitionsRepository {
  async lockByIds(
    tx: EntityManager,
    keys: ReadonlyArray<{ accountId: string; enrollmentId: string }>,
  ): Promise<LockedEnrollment[]> {
    if (keys.length === 0) return [];
    return tx.query(
      `${SELECT_LOCKED}
        JOIN unnest($1::uuid[], $2::uuid[]) AS k(account_id, id) ON e.account_id = k.account_id AND e.id = k.id
         FOR UPDATE OF e`,
      [keys.map((k) => k.accountId), keys.map((k) => k.enrollmentId)],
    );
  }

  async lockLiveOfContacts(
    tx: EntityManager,
    keys: ReadonlyArray<{ accountId: string; contactId: string }>,
  ): Promise<LockedEnrollment[]> {
    if (keys.length === 0) return [];
    return tx.query(
      `${SELECT_LOCKED}
        JOIN unnest($1::uuid[], $2::text[]) AS k(account_id, contact_id)
          ON e.account_id = k.account_id AND e.contact_id = k.contact_id
       WHERE e.state IN ('active', 'paused')
         FOR UPDATE OF e`,
      [keys.map((k) => k.accountId), keys.map((k) => k.contactId)],
    );
  }

  /**
   * Throws if any row changed since it was read (the batch is then retried from fresh reads). A row that gets
   * a due time again (a parked enrollment resumed) is no longer parked.
   */
  async apply(tx: EntityManager, rows: readonly TransitionRow[], now: Date): Promise<void> {
    if (rows.length === 0) return;
    const [, updated] = await tx.query<[unknown, number]>(
      `UPDATE enrollments e
          SET state = u.to_state, next_step_index = u.next_index, next_step_due_at = u.next_due_at,
              row_version = e.row_version + 1, updated_at = $7,
              ended_at = CASE WHEN u.end_reason IS NULL THEN e.ended_at ELSE $7 END,
              end_reason = COALESCE(u.end_reason, e.end_reason),
              parked_reason = CASE WHEN u.next_due_at IS NULL THEN e.parked_reason END
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::timestamptz[], $6::text[])
           AS u(id, row_version, to_state, next_index, next_due_at, end_reason)
        WHERE e.id = u.id AND e.row_version = u.row_version`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.rowVersion),
        rows.map((r) => r.toState),
        rows.map((r) => r.nextStepIndex),
        rows.map((r) => r.nextStepDueAt),
        rows.map((r) => r.endReason),
        now,
      ],
    );
    if (updated !== rows.length) {
      throw new Error(
        `enrollment transitions raced: ${updated} of ${rows.length} rows still at the version read`,
      );
    }
  }
}
