import type {
  DomainEvent,
  EnrollCommand,
  ExitCommand,
  OptInCommand,
  OptOutCommand,
} from '@cadence/contracts';
import { idText, uuidSchema } from '@cadence/contracts';
import { fieldOf, shownText, type EventTraceRecord } from '@cadence/domain';
import type { Refusal } from '@cadence/kafka';

/** What the router did with a valid event: the enroll commands it sent, and the exit or opt-out it implied. */
export function routedEventTrace(
  event: DomainEvent,
  enrolls: readonly EnrollCommand[],
  implied: ExitCommand | OptOutCommand | OptInCommand | null,
  receivedAt: Date,
): EventTraceRecord {
  return {
    accountId: event.accountId,
    eventId: event.id,
    eventType: event.type,
    contactId: event.contactId,
    routed: enrolls.map((c) => ({ sequenceId: c.sequenceId, method: c.method })),
    implied: implied ? (implied.kind === 'exit' ? `exit:${implied.rule}` : implied.kind) : null,
    refused: null,
    receivedAt,
  };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? shownText(value) : null);

/** The trace of an event refused as invalid, if it names a valid account id and event id; else null. */
export function refusedEventTrace(refusal: Refusal, receivedAt: Date): EventTraceRecord | null {
  const accountId = fieldOf(refusal.value, 'accountId');
  const eventId = fieldOf(refusal.value, 'id');
  if (!uuidSchema().safeParse(accountId).success || !idText().safeParse(eventId).success) return null;
  if (typeof accountId !== 'string' || typeof eventId !== 'string') return null;
  return {
    accountId,
    eventId,
    eventType: text(fieldOf(refusal.value, 'type')),
    contactId: text(fieldOf(refusal.value, 'contactId')),
    routed: [],
    implied: null,
    refused: `${refusal.reason}: ${shownText(refusal.detail, 1000)}`,
    receivedAt,
  };
}
