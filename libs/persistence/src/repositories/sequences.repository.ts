import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  sequenceDefinitionSchema,
  type AuditActor,
  type SequenceCatalog,
  type SequenceDefinition,
  type SequenceRecord,
} from '@cadence/domain';
import { recordAudit } from './account-audit.repository';

/** Operator scripts and tests that write beside the API have no key: their audit entries name none. */
const NO_ACTOR: AuditActor = { apiKeyId: null };

interface SequenceRow {
  id: string;
  account_id: string;
  name: string;
  draft: SequenceDefinition;
  active: boolean;
  published_version: number | null;
  definition: SequenceDefinition | null;
}

/**
 * Stored definitions are read through the schema, so a definition saved by an older version of the code
 * gets today's defaults (e.g. `triggers: []`) instead of surprising its readers.
 */
const readDefinition = (stored: unknown): SequenceDefinition | null => {
  if (stored === null) return null;
  const parsed = sequenceDefinitionSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
};

const toRecord = (row: SequenceRow): SequenceRecord => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  draft: readDefinition(row.draft) ?? row.draft,
  active: row.active,
  publishedVersion: row.published_version,
  definition: readDefinition(row.definition),
});

const SELECT_WITH_CURRENT_VERSION = `
  SELECT s.id, s.account_id, s.name, s.draft, s.active, s.published_version, v.definition
    FROM sequences s
    LEFT JOIN sequence_versions v ON v.sequence_id = s.id AND v.version = s.published_version`;

/** Sequences: an editable draft, immutable numbered versions, and the active flag. Scoped by account. */
export class SequencesRepository implements SequenceCatalog {
  constructor(private readonly db: DataSource) {}

  async createDraft(
    accountId: string,
    name: string,
    draft: SequenceDefinition,
    actor: AuditActor = NO_ACTOR,
  ): Promise<SequenceRecord> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO sequences (id, account_id, name, draft) VALUES ($1, $2, $3, $4)`, [
        id,
        accountId,
        name,
        JSON.stringify(draft),
      ]);
      await recordAudit(tx, { accountId, actor, action: 'sequence.created', target: id, change: { name } });
    });
    const created = await this.find(accountId, id);
    if (!created) throw new Error(`sequence ${id} was not found right after it was created`);
    return created;
  }

  /** Edits the draft, recording what it was and became. False if the sequence is not the account's. */
  async updateDraft(
    accountId: string,
    id: string,
    name: string,
    draft: SequenceDefinition,
    actor: AuditActor = NO_ACTOR,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows: Array<{ name: string; draft: unknown }> = await tx.query(
        `SELECT name, draft FROM sequences WHERE account_id = $1 AND id = $2 FOR UPDATE`,
        [accountId, id],
      );
      const [before] = rows;
      if (!before) return false;
      await tx.query(
        `UPDATE sequences SET name = $3, draft = $4, updated_at = now() WHERE account_id = $1 AND id = $2`,
        [accountId, id, name, JSON.stringify(draft)],
      );
      await recordAudit(tx, {
        accountId,
        actor,
        action: 'sequence.updated',
        target: id,
        change: { before: { name: before.name, draft: before.draft }, after: { name, draft } },
      });
      return true;
    });
  }

  /** Freezes the draft as the next version number; returns it, or null if the sequence is not the account's. */
  async publish(accountId: string, id: string, actor: AuditActor = NO_ACTOR): Promise<number | null> {
    return this.db.transaction(async (tx) => {
      const rows: Array<{ published_version: number | null }> = await tx.query(
        `SELECT published_version FROM sequences WHERE account_id = $1 AND id = $2 FOR UPDATE`,
        [accountId, id],
      );
      const [current] = rows;
      if (!current) return null;
      const version = (current.published_version ?? 0) + 1;
      await tx.query(
        `INSERT INTO sequence_versions (sequence_id, version, account_id, definition)
         SELECT id, $3, account_id, draft FROM sequences WHERE account_id = $1 AND id = $2`,
        [accountId, id, version],
      );
      await tx.query(
        `UPDATE sequences SET published_version = $3, updated_at = now() WHERE account_id = $1 AND id = $2`,
        [accountId, id, version],
      );
      await recordAudit(tx, {
        accountId,
        actor,
        action: 'sequence.published',
        target: id,
        change: { version },
      });
      return version;
    });
  }

  /** Switches enrollment on or off, recording the switch. False if the sequence is not the account's. */
  async setActive(
    accountId: string,
    id: string,
    active: boolean,
    actor: AuditActor = NO_ACTOR,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [, count] = await tx.query<[unknown, number]>(
        `UPDATE sequences SET active = $3, updated_at = now() WHERE account_id = $1 AND id = $2`,
        [accountId, id, active],
      );
      if (count === 0) return false;
      await recordAudit(tx, {
        accountId,
        actor,
        action: active ? 'sequence.activated' : 'sequence.deactivated',
        target: id,
        change: { active },
      });
      return true;
    });
  }

  async find(accountId: string, id: string): Promise<SequenceRecord | null> {
    const rows: SequenceRow[] = await this.db.query(
      `${SELECT_WITH_CURRENT_VERSION} WHERE s.account_id = $1 AND s.id = $2`,
      [accountId, id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** For a batch of decisions: each sequence with its current published definition. */
  async findMany(ids: readonly string[]): Promise<Map<string, SequenceRecord>> {
    if (ids.length === 0) return new Map();
    const rows: SequenceRow[] = await this.db.query(
      `${SELECT_WITH_CURRENT_VERSION} WHERE s.id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, toRecord(row)]));
  }

  /** Every active, published sequence with its current definition (the trigger index loads these). */
  async findActivePublished(): Promise<SequenceRecord[]> {
    const rows: SequenceRow[] = await this.db.query(
      `${SELECT_WITH_CURRENT_VERSION} WHERE s.active AND s.published_version IS NOT NULL`,
    );
    return rows.map(toRecord);
  }

  async listForAccount(accountId: string): Promise<SequenceRecord[]> {
    const rows: SequenceRow[] = await this.db.query(
      `${SELECT_WITH_CURRENT_VERSION} WHERE s.account_id = $1 ORDER BY s.created_at, s.id`,
      [accountId],
    );
    return rows.map(toRecord);
  }

  async findVersion(accountId: string, id: string, version: number): Promise<SequenceDefinition | null> {
    const rows: Array<{ definition: SequenceDefinition }> = await this.db.query(
      `SELECT definition FROM sequence_versions WHERE account_id = $1 AND sequence_id = $2 AND version = $3`,
      [accountId, id, version],
    );
    return rows[0]?.definition ?? null;
  }
}
