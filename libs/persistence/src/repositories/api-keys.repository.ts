import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface IssuedApiKey {
  id: string;
  accountId: string;
  /** Shown once; only its SHA-256 is stored. */
  key: string;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Account-scoped API keys, stored hashed. */
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async issue(accountId: string, name: string): Promise<IssuedApiKey> {
    const id = randomUUID();
    const key = `cad_${randomBytes(24).toString('base64url')}`;
    await this.db.query(`INSERT INTO api_keys (id, account_id, name, key_hash) VALUES ($1, $2, $3, $4)`, [
      id,
      accountId,
      name,
      hashApiKey(key),
    ]);
    return { id, accountId, key };
  }

  /** The account and key id behind a presented key, if it is known and not revoked. */
  async authenticate(key: string): Promise<{ accountId: string; apiKeyId: string } | null> {
    const rows: Array<{ account_id: string; id: string }> = await this.db.query(
      `SELECT id, account_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(key)],
    );
    return rows[0] ? { accountId: rows[0].account_id, apiKeyId: rows[0].id } : null;
  }
}
