import type { DataSource, EntityManager } from 'typeorm';
import { bulkInsert } from '../bulk-insert';

export interface OutboxRecord {
  topic: string;
  key: string;
  payload: object;
  /** Kafka headers the message is relayed with (its traceparent). */
  headers?: Record<string, string>;
}

interface OutboxRow {
  topic: string;
  message_key: string;
  payload: object;
  headers: Record<string, string> | null;
}

/** The transactional outbox: rows written with a state change, relayed to Kafka afterwards. */
export class OutboxRepository {
  constructor(private readonly db: DataSource) {}

  /** Rows waiting for the relay (the table stays small: the relay deletes what it publishes). */
  async backlog(): Promise<number> {
    const rows: Array<{ n: string }> = await this.db.query(`SELECT count(*) AS n FROM outbox`);
    return Number(rows[0]?.n ?? 0);
  }

  async append(tx: EntityManager, records: readonly OutboxRecord[]): Promise<void> {
    await bulkInsert(
      tx,
      'outbox',
      [
        { name: 'topic', type: 'text', value: (r: OutboxRecord) => r.topic },
        { name: 'message_key', type: 'text', value: (r) => r.key },
        { name: 'payload', type: 'jsonb', value: (r) => JSON.stringify(r.payload) },
        { name: 'headers', type: 'jsonb', value: (r) => (r.headers ? JSON.stringify(r.headers) : null) },
      ],
      records,
    );
  }

  /**
   * Takes up to `limit` rows (skipping those another relay holds), hands them to `publish`, and deletes them
   * only if publishing succeeded. Returns how many were relayed.
   */
  async relay(limit: number, publish: (records: OutboxRecord[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      // For DELETE ... RETURNING, TypeORM's postgres driver answers [rows, affectedCount].
      const [rows] = await tx.query<[OutboxRow[], number]>(
        `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, topic, message_key, payload, headers`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(
        rows.map((row) => ({
          topic: row.topic,
          key: row.message_key,
          payload: row.payload,
          ...(row.headers ? { headers: row.headers } : {}),
        })),
      );
      return rows.length;
    });
  }
}
