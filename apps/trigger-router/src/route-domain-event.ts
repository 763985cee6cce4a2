import {
  enrollCommand,
  type DomainEvent,
  type EnrollCommand,
  type TargetRef,
  type TargetType,
} from '@cadence/contracts';
import { eventRequestId } from '@cadence/domain';
import type { IndexedSequence } from './sequence-trigger-index';

/** The entity of `targetType` that the event is about, if it carries one. */
export function eventTarget(event: DomainEvent, targetType: TargetType): TargetRef | null {
  const id = {
    contact: event.contactId,
    conversation: event.entities.conversationId,
    deal: event.entities.dealId,
    appointment: event.entities.appointmentId,
    charge: event.entities.chargeId,
  }[targetType];
  return id ? { type: targetType, id } : null;
}

/**
 * One enroll command per listening sequence. The command id is derived from the event and the sequence,
 * so a redelivered event is decided once. An event without the sequence's target still produces a command
 * (target null), so the decision records why it was not enrolled.
 */
export function routeDomainEvent(event: DomainEvent, listeners: readonly IndexedSequence[]): EnrollCommand[] {
  return listeners.map((listener) => enrollCommandFor(event, listener));
}

/** The enroll command of one listening sequence for the event. */
export const enrollCommandFor = (event: DomainEvent, listener: IndexedSequence): EnrollCommand =>
  enrollCommand({
    commandId: eventRequestId(event.id, listener.sequenceId),
    accountId: event.accountId,
    contactId: event.contactId,
    sequenceId: listener.sequenceId,
    target: eventTarget(event, listener.targetType),
    method: listener.method,
    provenance: {
      eventId: event.id,
      eventType: event.type,
      conversationId: event.entities.conversationId,
    },
    requestedAt: event.time,
  });
