import type { EnrollmentCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import type { InboundMessage } from '@cadence/kafka';
import { SpanSet, traceParentInHeaders } from '@cadence/observability';

/**
 * The spans of a batch of commands: each command's span is a child of the trace its message carried (the
 * api's request, the trigger-router's event), so the decision joins the trace of the request it decides
 * although the whole batch is decided at once. What the decision publishes continues the command's span.
 */
export function commandSpans(items: ReadonlyArray<InboundMessage<EnrollmentCommand>>): SpanSet {
  return new SpanSet(
    'enrollment.commands',
    'enrollment.command',
    items.map(({ value, headers }) => ({
      key: value.commandId,
      parent: traceParentInHeaders(headers),
      attributes: {
        'cadence.command': value.kind,
        'cadence.request_id': value.commandId,
        'cadence.account_id': value.accountId,
        'cadence.contact_id': value.contactId,
      },
    })),
  );
}

/** Each decided request's span says what became of it. */
export function recordOutcomes(spans: SpanSet, events: readonly EnrollmentLifecycleEvent[]): void {
  for (const event of events)
    spans.annotate(event.requestId, {
      'cadence.outcome': event.type,
      ...(event.reason ? { 'cadence.reason': event.reason } : {}),
      ...(event.enrollmentId ? { 'cadence.enrollment_id': event.enrollmentId } : {}),
    });
}
