import {
  exitCommand,
  optInCommand,
  optOutCommand,
  type OptInCommand,
  type OptOutCommand,
  type ConversationActivity,
  type DomainEvent,
  type ExitCommand,
  type ExitRule,
  type Provenance,
  type TargetRef,
} from '@cadence/contracts';

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

/** The exit command of a domain event or a conversation activity: its id derives from theirs. */
const exitFor = (
  source: { id: string; accountId: string; contactId: string; time: number },
  rule: ExitRule,
  target: TargetRef | null,
  provenance: Partial<Provenance>,
): ExitCommand =>
  exitCommand({
    commandId: `exit:${source.id}`,
    accountId: source.accountId,
    contactId: source.contactId,
    requestedAt: source.time,
    rule,
    target,
    provenance,
  });

/** The exit command a domain event implies (deal won, charge paid, ...), if its type is an exit rule. */
export function exitCommandForEvent(event: DomainEvent): ExitCommand | null {
  const exit = EXIT_EVENTS[event.type];
  if (!exit) return null;
  return exitFor(event, exit.rule, exit.target(event), {
    eventId: event.id,
    eventType: event.type,
    conversationId: event.entities.conversationId,
  });
}

/**
 * The exit command conversation activity implies: an inbound message means the contact replied (every
 * enrollment of the contact that lists "replied"); a change to resolved resolves that conversation.
 */
export function exitCommandForActivity(activity: ConversationActivity): ExitCommand | null {
  const provenance = { eventId: activity.id, conversationId: activity.conversationId };
  if (activity.kind === 'message' && activity.direction === 'inbound') {
    return exitFor(activity, 'replied', null, provenance);
  }
  if (activity.kind === 'status_change' && activity.status === 'resolved') {
    const target = { type: 'conversation' as const, id: activity.conversationId };
    return exitFor(activity, 'conversation_resolved', target, provenance);
  }
  return null;
}

/** Domain events that change whether the contact may be messaged at all. */
const PREFERENCE_EVENTS: Record<string, 'opt_out' | 'opt_in'> = {
  'contact.unsubscribed': 'opt_out',
  'contact.blocked': 'opt_out',
  'contact.resubscribed': 'opt_in',
  'contact.unblocked': 'opt_in',
};

/**
 * The opt-out (unsubscribed, blocked) or opt-in (resubscribed, unblocked) command of a domain event, if its
 * type is one. Its id derives from the event, so a redelivered event changes nothing twice.
 */
export function preferenceCommandForEvent(event: DomainEvent): OptOutCommand | OptInCommand | null {
  const kind = PREFERENCE_EVENTS[event.type];
  if (!kind) return null;
  const fields = {
    commandId: `${kind}:${event.id}`,
    accountId: event.accountId,
    contactId: event.contactId,
    requestedAt: event.time,
    provenance: { eventId: event.id, eventType: event.type },
  };
  return kind === 'opt_out' ? optOutCommand(fields) : optInCommand(fields);
}
