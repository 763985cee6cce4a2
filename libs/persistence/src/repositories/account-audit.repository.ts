import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { wellFormedText, type AuditAction, type AuditEntry, type NewAuditEntry } from '@cadence/domain';

interface AuditRow {
  id: string;
  at: Date;
  actor_api_key_id: string | null;
  prefix: string | null;
  name: string | null;
  action: AuditAction;
  target: string;
  change: unknown;
}

/** Writes an audit entry in the transaction `tx` that makes the change it records. */
export async function recordAudit(tx: EntityManager, entry: NewAuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO account_audit (id, account_id, actor_api_key_id, action, target, change)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      randomUUID(),
      entry.accountId,
      entry.actor.apiKeyId,
      entry.action,
      entry.target,
      // The change as the columns it describes hold it: a lone surrogate in a name is stored as U+FFFD.
      JSON.stringify(entry.change, (_key, value: unknown) =>
        typeof value === 'string' ? wellFormedText(value) : value,
      ),
    ],
  );
}

/** The account audit: what operators changed, by whom, newest first. */
export class AccountAuditRepository {
  constructor(private readonly db: DataSource) {}

  async record(entry: NewAuditEntry): Promise<void> {
    await this.db.transaction((tx) => recordAudit(tx, entry));
  }

  /** A page, newest first, after the entry `after` (the last of the previous page). */
  async page(
    accountId: string,
    limit: number,
    after: { at: Date; id: string } | null,
  ): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.db.query(
      `SELECT a.id, a.at, a.actor_api_key_id, k.prefix, k.name, a.action, a.target, a.change
         FROM account_audit a
         LEFT JOIN api_keys k ON k.id = a.actor_api_key_id
        WHERE a.account_id = $1 AND ($2::timestamptz IS NULL OR (a.at, a.id) < ($2, $3::uuid))
        ORDER BY a.at DESC, a.id DESC
        LIMIT $4`,
      [accountId, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: { apiKeyId: row.actor_api_key_id, prefix: row.prefix, name: row.name },
      action: row.action,
      target: row.target,
      change: row.change,
    }));
  }
}
