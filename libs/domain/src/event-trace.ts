import type { EnrollmentMethod } from '@cadence/contracts';

/** One sequence a domain event was routed to, and how (its enroll command's id is `eventRequestId`). */
export interface RoutedSequence {
  sequenceId: string;
  method: EnrollmentMethod;
}

/** The request id of the enroll command a domain event sends one listening sequence: decided once, ever. */
export const eventRequestId = (eventId: string, sequenceId: string): string =>
  `event:${eventId}:${sequenceId}`;

/** What the trigger-router did with one domain event (a compact row; see EventTracesRepository). */
export interface EventTraceRecord {
  accountId: string;
  eventId: string;
  eventType: string | null;
  contactId: string | null;
  routed: RoutedSequence[];
  /** The exit rule or the opt-out/opt-in the event implied, if any. */
  implied: string | null;
  /** Why the event was refused (dead-lettered as invalid), if it was. */
  refused: string | null;
  receivedAt: Date;
}

export type EventTrace = Omit<EventTraceRecord, 'accountId'>;
