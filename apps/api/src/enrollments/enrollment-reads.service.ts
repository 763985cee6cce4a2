import { Injectable, NotFoundException } from '@nestjs/common';
import { explainReason, type DecisionView, type EnrollmentView, type HistoryView } from '@cadence/domain';
import {
  AcceptedRequestsRepository,
  BulkEnrollmentsRepository,
  EnrollmentQueriesRepository,
} from '@cadence/persistence';
import { decodeCursor, encodeCursor } from './cursor';
import type { EnrollmentListQuery } from './enrollment-list.schemas';

export type ExplainedDecision = DecisionView & {
  explanation: string;
  /** Where to look next: the enrollment made, or the live one a duplicate ran into. */
  links: { enrollment?: string; liveEnrollment?: string };
};

const explained = (decision: DecisionView): ExplainedDecision => ({
  ...decision,
  explanation: explainReason(decision.reason),
  links: {
    ...(decision.enrollmentId ? { enrollment: `/v1/enrollments/${decision.enrollmentId}` } : {}),
    ...(decision.reason === 'duplicate' && decision.relatedId
      ? { liveEnrollment: `/v1/enrollments/${decision.relatedId}` }
      : {}),
  },
});

/** What a lookup by request id answers: the decision, a change applied, or "accepted, not decided yet". */
export type RequestAnswer =
  | { status: 'decided'; decision: ExplainedDecision }
  | {
      status: 'applied';
      body: { requestId: string; status: 'applied'; kind: string; enrollmentId: string; change: HistoryView };
    }
  | {
      status: 'unchanged';
      body: { requestId: string; status: 'unchanged'; kind: string; enrollmentId: string; why: string };
    }
  | {
      status: 'pending';
      body: {
        requestId: string;
        status: 'pending';
        kind: string;
        acceptedAt: Date;
        poll: string;
        note: string;
      };
    };

/** The enrollments list, an enrollment's full history, and "why was (or wasn't) this contact enrolled". */
@Injectable()
export class EnrollmentReadsService {
  constructor(
    private readonly queries: EnrollmentQueriesRepository,
    private readonly bulks: BulkEnrollmentsRepository,
    private readonly accepted: AcceptedRequestsRepository,
  ) {}

  async list(
    accountId: string,
    query: EnrollmentListQuery,
  ): Promise<{ items: EnrollmentView[]; nextCursor: string | null }> {
    const items = await this.queries.list(accountId, {
      sequenceId: query.sequenceId,
      contactId: query.contactId,
      state: query.state,
      method: query.method,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit,
    });
    const last = items[items.length - 1];
    return { items, nextCursor: items.length === query.limit && last ? encodeCursor(last) : null };
  }

  async detail(
    accountId: string,
    id: string,
  ): Promise<EnrollmentView & { history: HistoryView[]; decision: ExplainedDecision | null }> {
    const enrollment = await this.queries.find(accountId, id);
    if (!enrollment) throw new NotFoundException(`enrollment ${id} not found`);
    const [history, decision] = await Promise.all([
      this.queries.history(accountId, id),
      this.queries.decision(accountId, enrollment.requestId),
    ]);
    return { ...enrollment, history, decision: decision ? explained(decision) : null };
  }

  /**
   * The decision of a request; for a request the api accepted and the engine has not decided yet, `pending`
   * and where to poll; for a pause, resume or cancel, the change it made once made. 404 only for a request id
   * this account never sent through the api and that has no decision.
   */
  async request(accountId: string, requestId: string): Promise<RequestAnswer> {
    const decision = await this.queries.decision(accountId, requestId);
    if (decision) return { status: 'decided', decision: explained(decision) };
    const accepted = await this.accepted.find(accountId, requestId);
    if (!accepted) throw new NotFoundException(`no request ${requestId} in this account`);
    const poll = `/v1/decisions/${encodeURIComponent(requestId)}`;
    if (accepted.kind === 'enroll' || !accepted.enrollmentId) {
      return {
        status: 'pending',
        body: {
          requestId,
          status: 'pending',
          kind: accepted.kind,
          acceptedAt: accepted.acceptedAt,
          poll,
          note: 'accepted and published; the enrollment app has not decided it yet',
        },
      };
    }
    if (accepted.outcome) {
      const body = {
        requestId,
        status: 'unchanged' as const,
        kind: accepted.kind,
        enrollmentId: accepted.enrollmentId,
        why: accepted.outcome,
      };
      return { status: 'unchanged', body };
    }
    const change = await this.queries.historyOfRequest(accountId, accepted.enrollmentId, requestId);
    if (change) {
      const body = {
        requestId,
        status: 'applied' as const,
        kind: accepted.kind,
        enrollmentId: accepted.enrollmentId,
        change,
      };
      return { status: 'applied', body };
    }
    return {
      status: 'pending',
      body: {
        requestId,
        status: 'pending',
        kind: accepted.kind,
        acceptedAt: accepted.acceptedAt,
        poll,
        note: `accepted and published; the enrollment app has not applied it yet (see /v1/enrollments/${accepted.enrollmentId})`,
      },
    };
  }

  async decisionsFor(
    accountId: string,
    contactId: string,
    sequenceId: string,
    limit: number,
  ): Promise<ExplainedDecision[]> {
    return (await this.queries.decisionsFor(accountId, contactId, sequenceId, limit)).map(explained);
  }

  async bulk(accountId: string, bulkId: string, withResults: boolean) {
    const bulk = await this.bulks.find(accountId, bulkId);
    if (!bulk) throw new NotFoundException(`bulk enrollment ${bulkId} not found`);
    const byReason = await this.bulks.progress(accountId, bulkId);
    const decided = Object.values(byReason).reduce((sum, count) => sum + count, 0);
    return {
      ...bulk,
      decided,
      pending: bulk.total - decided,
      done: decided === bulk.total,
      byReason,
      ...(withResults
        ? { results: (await this.queries.bulkDecisions(accountId, bulkId)).map(explained) }
        : {}),
    };
  }
}
