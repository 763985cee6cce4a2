import {
  ENROLLMENT_METHODS,
  TARGET_TYPES,
  emptyProvenance,
  idText,
  isOneOf,
  uuidSchema,
  type TargetRef,
} from '@cadence/contracts';
import { wellFormedText } from './bounded-text';
import type { DecisionRecord } from './enrollment-records';
import type { ReasonCode } from './reason-codes';

/** Why a request could not be decided: its command failed validation, or the database refused it every time. */
export type RequestRefusal = { reason: 'invalid' | 'rejected'; detail: string };

const DETAIL_MAX = 1000;
const SHOWN_MAX = 200;
// C0 and C1 control characters: what a reader of the stored text must never meet.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from a refused message made safe to store and show: control characters and lone surrogates replaced
 * by U+FFFD, length bounded.
 */
export const shownText = (text: string, max = SHOWN_MAX): string =>
  wellFormedText(text.slice(0, max).replace(CONTROL, '\ufffd'));

/** A field of a value read from outside, whatever its shape (undefined when it has none). */
export const fieldOf = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;

const validId = (value: unknown): string | null => (idText().safeParse(value).success ? String(value) : null);
const validUuid = (value: unknown): string | null =>
  uuidSchema().safeParse(value).success ? String(value) : null;

function targetOf(value: unknown): TargetRef | null {
  const type = fieldOf(value, 'type');
  const id = validId(fieldOf(value, 'id'));
  return typeof type === 'string' && isOneOf(TARGET_TYPES, type) && id ? { type, id } : null;
}

/**
 * The decision a refused command leaves, when it names its account (a uuid) and its request (an id): ignored,
 * `invalid_request` or `rejected_by_database`, with the refusal's detail. Only what validates is kept (a
 * contact id is shown with its control characters replaced); anything else is null. Pure.
 */
export function refusedRequestDecision(
  value: unknown,
  refusal: RequestRefusal,
  now: Date,
): DecisionRecord | null {
  const accountId = validUuid(fieldOf(value, 'accountId'));
  const requestId = validId(fieldOf(value, 'commandId'));
  if (!accountId || !requestId) return null;
  const contact = fieldOf(value, 'contactId');
  const method = fieldOf(value, 'method');
  const target = targetOf(fieldOf(value, 'target'));
  const reason: ReasonCode = refusal.reason === 'invalid' ? 'invalid_request' : 'rejected_by_database';
  return {
    accountId,
    requestId,
    // Never the first use of a key: the caller's retry with a valid body must be decided on its own.
    idempotencyKey: null,
    contactId: typeof contact === 'string' ? shownText(contact) : '',
    sequenceId: validUuid(fieldOf(value, 'sequenceId')),
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    method: typeof method === 'string' && isOneOf(ENROLLMENT_METHODS, method) ? method : null,
    provenance: emptyProvenance(),
    outcome: 'ignored',
    reason,
    enrollmentId: null,
    relatedId: null,
    detail: shownText(refusal.detail, DETAIL_MAX),
    decidedAt: now,
  };
}
