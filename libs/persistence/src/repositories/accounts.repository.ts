import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  assertValidTimeZone,
  sendWindowSchema,
  type Account,
  type AccountChanges,
  type AccountDirectory,
  type AuditActor,
  type NewAccount,
} from '@cadence/domain';
import { recordAudit } from './account-audit.repository';

interface AccountRow {
  id: string;
  name: string;
  automation_module_enabled: boolean;
  maestro_enabled: boolean;
  time_zone: string;
  send_window: unknown;
}

const toAccount = (row: AccountRow): Account => {
  const window = sendWindowSchema.safeParse(row.send_window);
  return {
    id: row.id,
    name: row.name,
    automationModuleEnabled: row.automation_module_enabled,
    maestroEnabled: row.maestro_enabled,
    timeZone: row.time_zone,
    sendWindow: window.success ? window.data : null,
  };
};

/** The fields an operator may change, as the audit and the API name them. */
const CHANGEABLE = ['automationModuleEnabled', 'maestroEnabled', 'timeZone', 'sendWindow'] as const;

export class AccountsRepository implements AccountDirectory {
  constructor(private readonly db: DataSource) {}

  /** Throws an InvalidTimeZone naming the value before anything is written: a bad zone never reaches a row. */
  async create(input: NewAccount): Promise<Account> {
    const timeZone = assertValidTimeZone(input.timeZone ?? 'UTC');
    const rows: AccountRow[] = await this.db.query(
      `INSERT INTO accounts (id, name, automation_module_enabled, maestro_enabled, time_zone, send_window)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        input.id ?? randomUUID(),
        input.name,
        input.automationModuleEnabled ?? false,
        input.maestroEnabled ?? false,
        timeZone,
        input.sendWindow ? JSON.stringify(input.sendWindow) : null,
      ],
    );
    const [created] = rows;
    if (!created) throw new Error('INSERT ... RETURNING answered no row');
    return toAccount(created);
  }

  async find(id: string): Promise<Account | null> {
    const rows: AccountRow[] = await this.db.query(`SELECT * FROM accounts WHERE id = $1`, [id]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findMany(ids: readonly string[]): Promise<Map<string, Account>> {
    if (ids.length === 0) return new Map();
    const rows: AccountRow[] = await this.db.query(`SELECT * FROM accounts WHERE id = ANY($1::uuid[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((row) => [row.id, toAccount(row)]));
  }

  /**
   * Applies the changes and records one audit entry with what each changed field was and became, in one
   * transaction; a change to nothing new records nothing. Throws an InvalidTimeZone for a zone Intl does not
   * know. Null if the account does not exist.
   */
  async update(id: string, changes: AccountChanges, actor: AuditActor): Promise<Account | null> {
    if (changes.timeZone !== undefined) assertValidTimeZone(changes.timeZone);
    return this.db.transaction(async (tx) => {
      const rows: AccountRow[] = await tx.query(`SELECT * FROM accounts WHERE id = $1 FOR UPDATE`, [id]);
      const [row] = rows;
      if (!row) return null;
      const current = toAccount(row);
      const next: Account = { ...current, ...changes };
      const changed = CHANGEABLE.filter(
        (field) => JSON.stringify(current[field]) !== JSON.stringify(next[field]),
      );
      if (changed.length === 0) return current;
      await tx.query(
        `UPDATE accounts SET automation_module_enabled = $2, maestro_enabled = $3, time_zone = $4,
                send_window = $5 WHERE id = $1`,
        [
          id,
          next.automationModuleEnabled,
          next.maestroEnabled,
          next.timeZone,
          next.sendWindow ? JSON.stringify(next.sendWindow) : null,
        ],
      );
      await recordAudit(tx, {
        accountId: id,
        actor,
        action: 'account.updated',
        target: id,
        change: {
          before: Object.fromEntries(changed.map((field) => [field, current[field]])),
          after: Object.fromEntries(changed.map((field) => [field, next[field]])),
        },
      });
      return next;
    });
  }
}
