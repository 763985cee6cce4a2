import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { assertValidTimeZone, type Account, type AccountDirectory, type NewAccount } from '@cadence/domain';

interface AccountRow {
  id: string;
  name: string;
  automation_module_enabled: boolean;
  maestro_enabled: boolean;
  time_zone: string;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  automationModuleEnabled: row.automation_module_enabled,
  maestroEnabled: row.maestro_enabled,
  timeZone: row.time_zone,
});

export class AccountsRepository implements AccountDirectory {
  constructor(private readonly db: DataSource) {}

  /** Throws an InvalidTimeZone naming the value before anything is written: a bad zone never reaches a row. */
  async create(input: NewAccount): Promise<Account> {
    const timeZone = assertValidTimeZone(input.timeZone ?? 'UTC');
    const rows: AccountRow[] = await this.db.query(
      `INSERT INTO accounts (id, name, automation_module_enabled, maestro_enabled, time_zone)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [
        input.id ?? randomUUID(),
        input.name,
        input.automationModuleEnabled ?? false,
        input.maestroEnabled ?? false,
        timeZone,
      ],
    );
    const [created] = rows;
    if (!created) throw new Error('INSERT ... RETURNING answered no row');
    return toAccount(created);
  }

  async findMany(ids: readonly string[]): Promise<Map<string, Account>> {
    if (ids.length === 0) return new Map();
    const rows: AccountRow[] = await this.db.query(`SELECT * FROM accounts WHERE id = ANY($1::uuid[])`, [
      [...new Set(ids)],
    ]);
    return new Map(rows.map((row) => [row.id, toAccount(row)]));
  }
}
