import type { EntityManager } from 'typeorm';
import type { HistoryRecord } from '@cadence/domain';
import { bulkInsert } from '../bulk-insert';

/** The enrollment history: one row per state change or step, appended in the transaction that made it. */
export class HistoryRepository {
  async append(tx: EntityManager, rows: readonly HistoryRecord[]): Promise<void> {
    await bulkInsert(
      tx,
      'enrollment_history',
      [
        { name: 'account_id', type: 'uuid', value: (r: HistoryRecord) => r.accountId },
        { name: 'enrollment_id', type: 'uuid', value: (r) => r.enrollmentId },
        { name: 'from_state', type: 'text', value: (r) => r.fromState },
        { name: 'to_state', type: 'text', value: (r) => r.toState },
        { name: 'cause', type: 'text', value: (r) => r.cause },
        { name: 'step_index', type: 'int', value: (r) => r.stepIndex },
        { name: 'details', type: 'jsonb', value: (r) => JSON.stringify(r.details) },
        { name: 'at', type: 'timestamptz', value: (r) => r.at },
      ],
      rows,
    );
  }
}
