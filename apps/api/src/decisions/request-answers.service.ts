import { Injectable, NotFoundException } from '@nestjs/common';
import type { AcceptedRequest, HistoryView } from '@cadence/domain';
import { AcceptedRequestsRepository, EnrollmentQueriesRepository } from '@cadence/persistence';
import { explained, type ExplainedDecision } from './explained-decision';

interface Pending {
  requestId: string;
  status: 'pending';
  kind: string;
  acceptedAt: Date;
  poll: string;
  note: string;
}

/** What a lookup by request id answers: the decision, a change applied (or why none), or "not yet". */
export type RequestAnswer =
  | { status: 'decided'; body: ExplainedDecision }
  | {
      status: 'applied';
      body: { requestId: string; status: 'applied'; kind: string; enrollmentId: string; change: HistoryView };
    }
  | {
      status: 'unchanged';
      body: { requestId: string; status: 'unchanged'; kind: string; enrollmentId: string; why: string };
    }
  | { status: 'pending'; body: Pending };

const pending = (accepted: AcceptedRequest, note: string): RequestAnswer => ({
  status: 'pending',
  body: {
    requestId: accepted.requestId,
    status: 'pending',
    kind: accepted.kind,
    acceptedAt: accepted.acceptedAt,
    poll: `/v1/decisions/${encodeURIComponent(accepted.requestId)}`,
    note,
  },
});

/**
 * Every request id the api handed out gets an answer: the decision of an enroll; for a pause, resume or cancel,
 * the change it made or why it made none; `pending` (with where to poll) until then. 404 only for an id this
 * account never sent through the api and that has no decision.
 */
@Injectable()
export class RequestAnswersService {
  constructor(
    private readonly queries: EnrollmentQueriesRepository,
    private readonly accepted: AcceptedRequestsRepository,
  ) {}

  async answer(accountId: string, requestId: string): Promise<RequestAnswer> {
    const decision = await this.queries.decision(accountId, requestId);
    if (decision) return { status: 'decided', body: explained(decision) };
    const accepted = await this.accepted.find(accountId, requestId);
    if (!accepted) throw new NotFoundException(`no request ${requestId} in this account`);
    const { kind, enrollmentId } = accepted;
    if (kind === 'enroll' || !enrollmentId)
      return pending(accepted, 'accepted and published; the enrollment app has not decided it yet');
    if (accepted.outcome)
      return {
        status: 'unchanged',
        body: { requestId, status: 'unchanged', kind, enrollmentId, why: accepted.outcome },
      };
    const change = await this.queries.historyOfRequest(accountId, enrollmentId, requestId);
    if (change)
      return { status: 'applied', body: { requestId, status: 'applied', kind, enrollmentId, change } };
    return pending(
      accepted,
      `accepted and published; the enrollment app has not applied it yet (see /v1/enrollments/${enrollmentId})`,
    );
  }
}
