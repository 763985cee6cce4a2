import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ApiKeyRecord, ApiKeyScope, AuditActor } from '@cadence/domain';
import { recordAudit } from './account-audit.repository';

export interface IssuedApiKey {
  id: string;
  accountId: string;
  /** Shown once; only its SHA-256 is stored. */
  key: string;
  record: ApiKeyRecord;
}

/** Who is calling: the key's account, id, scope, and how the key is shown (its prefix and name). */
export interface AuthenticatedKey {
  accountId: string;
  apiKeyId: string;
  scope: ApiKeyScope;
  prefix: string | null;
  name: string;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** How much of a secret is kept in clear, to tell keys apart in lists (`cad_` and 8 random characters). */
export const API_KEY_PREFIX_LENGTH = 12;

/** `last_used_at` is written at most this often per key, so authenticating stays a read on most requests. */
const LAST_USE_RESOLUTION_MS = 60_000;

interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string;
  prefix: string | null;
  scope: ApiKeyScope;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = `id, account_id, name, prefix, scope, created_at, last_used_at, revoked_at`;

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  prefix: row.prefix,
  scope: row.scope,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Account-scoped API keys, stored hashed; every issue, revocation and rotation is audited with it. */
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  /** A new key (admin unless told otherwise); `actor` is who issued it (none for the operator scripts). */
  async issue(
    accountId: string,
    name: string,
    options: { scope?: ApiKeyScope; actor?: AuditActor } = {},
  ): Promise<IssuedApiKey> {
    return this.db.transaction(async (tx) => {
      const issued = await this.insert(tx, accountId, name, options.scope ?? 'admin', null);
      await recordAudit(tx, {
        accountId,
        actor: options.actor ?? { apiKeyId: null },
        action: 'api_key.created',
        target: issued.id,
        change: { name, scope: issued.record.scope, prefix: issued.record.prefix },
      });
      return issued;
    });
  }

  /**
   * The caller behind a presented key, if it is known and not revoked. Its last use is recorded when the one
   * stored is more than a minute old: one small write per key per minute, whatever the request rate.
   */
  async authenticate(key: string): Promise<AuthenticatedKey | null> {
    const rows: ApiKeyRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(key)],
    );
    const [row] = rows;
    if (!row) return null;
    const lastUsed = row.last_used_at?.getTime() ?? 0;
    if (Date.now() - lastUsed >= LAST_USE_RESOLUTION_MS) {
      await this.db.query(
        `UPDATE api_keys SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [row.id],
      );
    }
    return {
      accountId: row.account_id,
      apiKeyId: row.id,
      scope: row.scope,
      prefix: row.prefix,
      name: row.name,
    };
  }

  async list(accountId: string): Promise<ApiKeyRecord[]> {
    const rows: ApiKeyRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE account_id = $1 ORDER BY created_at, id`,
      [accountId],
    );
    return rows.map(toRecord);
  }

  /** Revokes the key now (once: revoking a revoked key changes and records nothing). Null if not the account's. */
  async revoke(accountId: string, id: string, actor: AuditActor): Promise<ApiKeyRecord | null> {
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, accountId, id);
      if (!current || current.revokedAt) return current;
      const revoked = await this.markRevoked(tx, id);
      await recordAudit(tx, {
        accountId,
        actor,
        action: 'api_key.revoked',
        target: id,
        change: { name: current.name, prefix: current.prefix },
      });
      return revoked;
    });
  }

  /**
   * A new key with the old one's name and scope, the old one revoked at once, in one transaction. Null if the
   * key is not the account's; `revoked` if it was revoked already (there is nothing left to rotate).
   */
  async rotate(
    accountId: string,
    id: string,
    actor: AuditActor,
  ): Promise<{ issued: IssuedApiKey; replaces: string } | 'revoked' | null> {
    return this.db.transaction(async (tx) => {
      const current = await this.lock(tx, accountId, id);
      if (!current) return null;
      if (current.revokedAt) return 'revoked';
      await this.markRevoked(tx, id);
      const issued = await this.insert(tx, accountId, current.name, current.scope, id);
      await recordAudit(tx, {
        accountId,
        actor,
        action: 'api_key.rotated',
        target: id,
        change: { replacedBy: issued.id, name: current.name, prefix: issued.record.prefix },
      });
      return { issued, replaces: id };
    });
  }

  private async insert(
    tx: EntityManager,
    accountId: string,
    name: string,
    scope: ApiKeyScope,
    replaces: string | null,
  ): Promise<IssuedApiKey> {
    const id = randomUUID();
    const key = `cad_${randomBytes(24).toString('base64url')}`;
    const rows: ApiKeyRow[] = await tx.query(
      `INSERT INTO api_keys (id, account_id, name, key_hash, scope, prefix, replaces)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [id, accountId, name, hashApiKey(key), scope, key.slice(0, API_KEY_PREFIX_LENGTH), replaces],
    );
    const [row] = rows;
    if (!row) throw new Error('INSERT ... RETURNING answered no row');
    return { id, accountId, key, record: toRecord(row) };
  }

  private async lock(tx: EntityManager, accountId: string, id: string): Promise<ApiKeyRecord | null> {
    const rows: ApiKeyRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE account_id = $1 AND id = $2 FOR UPDATE`,
      [accountId, id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  private async markRevoked(tx: EntityManager, id: string): Promise<ApiKeyRecord> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await tx.query<[ApiKeyRow[], number]>(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    const [row] = rows;
    if (!row) throw new Error(`api key ${id} vanished while locked`);
    return toRecord(row);
  }
}
