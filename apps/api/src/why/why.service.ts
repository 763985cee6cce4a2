import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  eventRequestId,
  explainEvent,
  explainInactivity,
  inactivityRequestId,
  inactivityRules,
  type Clock,
  type EventConclusion,
  type InactivityConclusion,
} from '@cadence/domain';
import {
  ConversationActivityRepository,
  EnrollmentQueriesRepository,
  EventTracesRepository,
  SequencesRepository,
} from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';

/** The brief's troubleshooting questions, answered from what the engine recorded. */
@Injectable()
export class WhyService {
  constructor(
    private readonly traces: EventTracesRepository,
    private readonly sequences: SequencesRepository,
    private readonly queries: EnrollmentQueriesRepository,
    private readonly conversations: ConversationActivityRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** "The contact wasn't enrolled by an event": what each of the account's sequences made of it. */
  async event(accountId: string, eventId: string) {
    const trace = await this.traces.find(accountId, eventId);
    if (!trace)
      throw new NotFoundException(
        `no trace of event ${eventId} (not read by the trigger-router yet, another account's, or older than the retention)`,
      );
    const [sequences, decisions] = await Promise.all([
      this.sequences.listForAccount(accountId),
      this.queries.decisionsOf(
        accountId,
        trace.routed.map((r) => eventRequestId(eventId, r.sequenceId)),
      ),
    ]);
    const conclusions: EventConclusion[] = explainEvent(trace, sequences, decisions);
    return { ...trace, sequences: conclusions };
  }

  /** "Inactivity didn't fire": the conversation as tracked, and each inactivity rule's view of it. */
  async inactivity(accountId: string, conversationId: string) {
    const [[tracked], sequences] = await Promise.all([
      this.conversations.find([{ accountId, conversationId }]),
      this.sequences.listForAccount(accountId),
    ]);
    const withRules = sequences.filter((s) => inactivityRules({ ...s, accountId }).length > 0);
    const decisions = await this.queries.decisionsOf(
      accountId,
      withRules.map((s) => inactivityRequestId(conversationId, s.id)),
    );
    const now = this.clock.now();
    const rules: InactivityConclusion[] = explainInactivity(
      accountId,
      conversationId,
      tracked ?? null,
      withRules,
      decisions,
      now,
    );
    return {
      conversationId,
      tracked: tracked
        ? { contactId: tracked.contactId, status: tracked.status, lastActivityAt: tracked.lastActivityAt }
        : null,
      now,
      sequences: rules,
    };
  }
}
