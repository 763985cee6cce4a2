/**
 * Every enroll request ends in exactly one decision, and its reason is one of these codes.
 * The same list backs the API, the database CHECK constraint (see the migrations) and the metrics labels.
 */
export const ENROLLED_REASONS = ['enrolled', 'enrolled_maestro_unavailable'] as const;
export const IGNORED_REASONS = [
  'duplicate',
  'idempotent_replay',
  'account_not_found',
  'sequence_not_found',
  'sequence_not_published',
  'sequence_inactive',
  'trigger_mismatch',
  'target_mismatch',
  'module_disabled',
  'maestro_disabled',
  'maestro_declined',
  'contact_opted_out',
  'reentry_not_allowed',
  'reentry_cooldown',
  'daily_cap_reached',
  'invalid_request',
  'rejected_by_database',
] as const;
export const REASON_CODES = [...ENROLLED_REASONS, ...IGNORED_REASONS] as const;
/** Requests recorded without a decision proper: their command was malformed, or the database refused it. */
export const REQUEST_REFUSAL_REASONS = ['invalid_request', 'rejected_by_database'] as const;

export type EnrolledReason = (typeof ENROLLED_REASONS)[number];
export type IgnoredReason = (typeof IGNORED_REASONS)[number];
export type ReasonCode = EnrolledReason | IgnoredReason;

export const isEnrolledReason = (reason: ReasonCode): reason is EnrolledReason =>
  ENROLLED_REASONS.some((enrolled) => enrolled === reason);

/** One line a support person can read, per code. The switch is exhaustive: a new code fails to compile here. */
export function explainReason(reason: ReasonCode): string {
  switch (reason) {
    case 'enrolled':
      return 'Enrolled: the sequence started for this contact.';
    case 'enrolled_maestro_unavailable':
      return 'Enrolled without the Maestro: it was unavailable, and the AI gate fails open.';
    case 'duplicate':
      return 'Ignored: the contact already has an active or paused enrollment in this sequence for this target.';
    case 'idempotent_replay':
      return 'Ignored: the same idempotency key was used before; the first decision stands.';
    case 'account_not_found':
      return 'Ignored: the account does not exist.';
    case 'sequence_not_found':
      return 'Ignored: the sequence does not exist in this account.';
    case 'sequence_not_published':
      return 'Ignored: the sequence has no published version.';
    case 'sequence_inactive':
      return 'Ignored: the sequence is not active.';
    case 'trigger_mismatch':
      return "Ignored: the sequence's trigger does not allow this enrollment method.";
    case 'target_mismatch':
      return "Ignored: the request does not carry the sequence's target.";
    case 'module_disabled':
      return 'Ignored: the account does not have the Automation/Flow module.';
    case 'maestro_disabled':
      return 'Ignored: the Maestro is not enabled on the account.';
    case 'maestro_declined':
      return 'Ignored: the Maestro decided a follow-up does not make sense now.';
    case 'contact_opted_out':
      return 'Ignored: the contact unsubscribed or blocked the account; nothing is sent until it opts back in.';
    case 'reentry_not_allowed':
      return 'Ignored: the contact was enrolled in this sequence before, and the sequence allows no re-entry.';
    case 'reentry_cooldown':
      return "Ignored: the contact's last enrollment in this sequence ended less than its re-entry cooldown ago.";
    case 'daily_cap_reached':
      return 'Ignored: the sequence already took its cap of new enrollments today (in the account time zone).';
    case 'invalid_request':
      return 'Ignored: the request was malformed (see detail); it was also dead-lettered with its bytes.';
    case 'rejected_by_database':
      return 'Ignored: the database refused this request on every retry (see detail); it was also dead-lettered.';
  }
}
