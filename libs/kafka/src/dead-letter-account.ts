const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The header naming the account a dead letter belongs to, when its message names one. */
export const DLQ_ACCOUNT_HEADER = 'dlq-account-id';

/**
 * The account a refused message belongs to: its decoded value's `accountId` when that is an account id (a
 * uuid), else the account its key starts with (contact keys are `<accountId>:<contactId>`), else null (the
 * letter is then nobody's: only operators with broker access see it). Pure.
 */
export function accountOfLetter(key: Buffer | string | null, decoded: unknown): string | null {
  if (typeof decoded === 'object' && decoded !== null && 'accountId' in decoded) {
    const { accountId } = decoded;
    if (typeof accountId === 'string' && UUID.test(accountId)) return accountId.toLowerCase();
  }
  const text = key === null ? '' : key.toString();
  const prefix = text.slice(0, text.indexOf(':'));
  return UUID.test(prefix) ? prefix.toLowerCase() : null;
}
