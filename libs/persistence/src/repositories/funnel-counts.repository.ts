import { randomInt } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { FunnelCount, FunnelCounter } from '@cadence/domain';

/**
 * How many rows each counter is spread over. Every enrollment into a sequence adds to the same two counters
 * (`entered` and `active` at step 0), and an upsert holds its row's lock until its transaction commits: with
 * one row, the enrollment lanes and step-runners that touch one busy sequence would commit one after another.
 * Each transaction picks one shard at random, so up to this many of them add to a counter at once; a read sums
 * the shards (O(steps × counters × shards) rows, a few hundred at most).
 */
export const FUNNEL_SHARDS = 8;

/**
 * The funnel projection (`sequence_funnel_counts`): lifetime counters per sequence version, step, counter and
 * shard, moved in the transactions that move the enrollments. Retention never touches it: the totals outlive
 * the enrollments they counted.
 */
export class FunnelCountsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Adds a transaction's counter changes, already summed per counter (one row each), in the order given (the
   * planners sort them, so two transactions on one shard lock its rows in the same order and never deadlock).
   */
  async add(tx: EntityManager, rows: readonly FunnelCount[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO sequence_funnel_counts AS c
              (account_id, sequence_id, sequence_version, step_index, counter, shard, n)
       SELECT u.account_id, u.sequence_id, u.sequence_version, u.step_index, u.counter, $7, u.n
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::text[], $6::bigint[])
              WITH ORDINALITY AS u(account_id, sequence_id, sequence_version, step_index, counter, n, ord)
        ORDER BY u.ord
       ON CONFLICT (sequence_id, sequence_version, step_index, counter, shard)
       DO UPDATE SET n = c.n + excluded.n`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.sequenceId),
        rows.map((r) => r.sequenceVersion),
        rows.map((r) => r.stepIndex),
        rows.map((r) => r.counter),
        rows.map((r) => r.n),
        randomInt(FUNNEL_SHARDS),
      ],
    );
  }

  /** One version's counters, summed over their shards. */
  async read(
    accountId: string,
    sequenceId: string,
    version: number,
  ): Promise<Array<{ stepIndex: number; counter: FunnelCounter; n: number }>> {
    const rows: Array<{ step_index: number; counter: FunnelCounter; n: string }> = await this.db.query(
      `SELECT step_index, counter, sum(n) AS n
         FROM sequence_funnel_counts
        WHERE account_id = $1 AND sequence_id = $2 AND sequence_version = $3
        GROUP BY step_index, counter`,
      [accountId, sequenceId, version],
    );
    return rows.map((row) => ({ stepIndex: row.step_index, counter: row.counter, n: Number(row.n) }));
  }
}
