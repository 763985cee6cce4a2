import type { LiveKey } from '@cadence/domain';

/**
 * Live keys as the five array parameters of a batched lookup (`unnest($1::uuid[], $2::uuid[], $3::text[],
 * $4::text[], $5::text[]) AS k(account_id, sequence_id, contact_id, target_type, target_id)`).
 */
export const liveKeyParams = (keys: readonly LiveKey[]): string[][] => [
  keys.map((k) => k.accountId),
  keys.map((k) => k.sequenceId),
  keys.map((k) => k.contactId),
  keys.map((k) => k.targetType),
  keys.map((k) => k.targetId),
];
