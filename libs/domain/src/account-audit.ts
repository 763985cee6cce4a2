/**
 * What the account audit records: one entry per change an operator makes, written in the transaction that
 * makes it. The same list backs the API and the database CHECK (tied by a test).
 */
export const AUDIT_ACTIONS = [
  'account.updated',
  'api_key.created',
  'api_key.revoked',
  'api_key.rotated',
  'sequence.created',
  'sequence.updated',
  'sequence.published',
  'sequence.activated',
  'sequence.deactivated',
  'dead_letters.replay_started',
  'dead_letters.replayed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who made a change: the API key of the request (null for operator scripts run beside the database). */
export interface AuditActor {
  apiKeyId: string | null;
}

export interface NewAuditEntry {
  accountId: string;
  actor: AuditActor;
  action: AuditAction;
  /** The id (or topic) the change is about. */
  target: string;
  /** Before/after, or the details of the change. */
  change: object;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actor: { apiKeyId: string | null; prefix: string | null; name: string | null };
  action: AuditAction;
  target: string;
  change: unknown;
}

/** An API key's power: `admin` does everything; `enroll` does enrollment work only. */
export const API_KEY_SCOPES = ['admin', 'enroll'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An API key as listed (its secret is never stored, only its hash). */
export interface ApiKeyRecord {
  id: string;
  accountId: string;
  name: string;
  /** The secret's first 12 characters; null for keys issued before prefixes were kept. */
  prefix: string | null;
  scope: ApiKeyScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
