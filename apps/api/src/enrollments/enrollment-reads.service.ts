import { Injectable, NotFoundException } from '@nestjs/common';
import type { EnrollmentView, HistoryView } from '@cadence/domain';
import { BulkEnrollmentsRepository, EnrollmentQueriesRepository } from '@cadence/persistence';
import { decodeCursor, encodeCursor } from './cursor';
import type { EnrollmentListQuery } from './enrollment-list.schemas';

import { explained, type ExplainedDecision } from '../decisions/explained-decision';

export type { ExplainedDecision };

/** The enrollments list, an enrollment's full history, and "why was (or wasn't) this contact enrolled". */
@Injectable()
export class EnrollmentReadsService {
  constructor(
    private readonly queries: EnrollmentQueriesRepository,
    private readonly bulks: BulkEnrollmentsRepository,
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
    const { requestHash: _hash, ...shown } = bulk;
    return {
      ...shown,
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
