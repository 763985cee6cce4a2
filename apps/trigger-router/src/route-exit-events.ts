import {
  emptyProvenance,
  type ConversationActivity,
  type DomainEvent,
  type EnrollmentCommand,
  type TargetRef,
} from '@cadence/contracts';
import type { ExitRule } from '@cadence/domain';

/** Domain event types that are exit rules, and the entity each one is about. */
const EXIT_EVENTS: Record<string, { rule: ExitRule; target: (event: DomainEvent) => TargetRef | null }> = {
  'deal.won': { rule: 'deal_won', target: (e) => ref('deal', e.entities.dealId) },
  'deal.lost': { rule: 'deal_lost', target: (e) => ref('deal', e.entities.dealId) },
  'charge.paid': { rule: 'charge_paid', target: (e) => ref('charge', e.entities.chargeId) },
  'appointment.attended': {
    rule: 'appointment_attended',
    target: (e) => ref('appointment', e.entities.appointmentId),
  },
  'appointment.rescheduled': {
    rule: 'appointment_rescheduled',
    target: (e) => ref('appointment', e.entities.appointmentId),
  },
  'conversation.resolved': {
    rule: 'conversation_resolved',
    target: (e) => ref('conversation', e.entities.conversationId),
  },
};

const ref = (type: TargetRef['type'], id: string | null): TargetRef | null => (id ? { type, id } : null);

function exitCommand(
  id: string,
  accountId: string,
  contactId: string,
  rule: ExitRule,
  target: TargetRef | null,
  time: number,
  provenance: Partial<EnrollmentCommand['provenance']>,
): EnrollmentCommand {
  return {
    commandId: `exit:${id}`,
    idempotencyKey: null,
    kind: 'exit',
    accountId,
    contactId,
    sequenceId: null,
    target,
    method: null,
    provenance: { ...emptyProvenance(), ...provenance },
    enrollmentId: null,
    exitReason: rule,
    requestedAt: time,
  };
}

/** The exit command a domain event implies (deal won, charge paid, ...), if its type is an exit rule. */
export function exitCommandForEvent(event: DomainEvent): EnrollmentCommand | null {
  const exit = EXIT_EVENTS[event.type];
  if (!exit) return null;
  return exitCommand(event.id, event.accountId, event.contactId, exit.rule, exit.target(event), event.time, {
    eventId: event.id,
    eventType: event.type,
    conversationId: event.entities.conversationId,
  });
}

/**
 * The exit command conversation activity implies: an inbound message means the contact replied (every
 * enrollment of the contact that lists "replied"); a change to resolved resolves that conversation.
 */
export function exitCommandForActivity(activity: ConversationActivity): EnrollmentCommand | null {
  const provenance = { eventId: activity.id, conversationId: activity.conversationId };
  if (activity.kind === 'message' && activity.direction === 'inbound') {
    return exitCommand(
      activity.id,
      activity.accountId,
      activity.contactId,
      'replied',
      null,
      activity.time,
      provenance,
    );
  }
  if (activity.kind === 'status_change' && activity.status === 'resolved') {
    const target = { type: 'conversation' as const, id: activity.conversationId };
    return exitCommand(
      activity.id,
      activity.accountId,
      activity.contactId,
      'conversation_resolved',
      target,
      activity.time,
      provenance,
    );
  }
  return null;
}
