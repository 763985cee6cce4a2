import type { DomainEvent } from '@cadence/contracts';
import type { InboundMessage } from '@cadence/kafka';
import { SpanSet, traceParentInHeaders } from '@cadence/observability';

/** A batch's spans: one per domain event, a child of the trace its producer put in the message's headers. */
export function eventSpans(items: ReadonlyArray<InboundMessage<DomainEvent>>): SpanSet {
  return new SpanSet(
    'trigger-router.route-events',
    'trigger-router.route-event',
    items.map(({ value, headers }) => ({
      key: value.id,
      parent: traceParentInHeaders(headers),
      attributes: {
        'cadence.event_id': value.id,
        'cadence.event_type': value.type,
        'cadence.account_id': value.accountId,
        'cadence.contact_id': value.contactId,
      },
    })),
  );
}
