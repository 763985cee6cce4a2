import type { DataSource, EntityManager } from 'typeorm';
import { contactKey } from '@cadence/contracts';
import { LiveEnrollmentConflict, type TransactionStores, type UnitOfWork } from '@cadence/domain';
import { STEPS_DUE_CHANNEL } from './change-notifications';
import { AcceptedRequestsRepository } from './repositories/accepted-requests.repository';
import { DueStepsRepository } from './repositories/due-steps.repository';
import { EnrollmentTransitionsRepository } from './repositories/enrollment-transitions.repository';
import { EnrollmentsRepository, isLiveEnrollmentConflict } from './repositories/enrollments.repository';
import { FunnelCountsRepository } from './repositories/funnel-counts.repository';
import { HistoryRepository } from './repositories/history.repository';
import { OutboxRepository } from './repositories/outbox.repository';

/**
 * The unit of work over Postgres: one database transaction, with the stores bound to it. Lifecycle events go
 * to the outbox table, for the relay to publish on `lifecycleTopic` after the commit.
 */
export class PostgresUnitOfWork implements UnitOfWork {
  private readonly enrollments: EnrollmentsRepository;
  private readonly outbox: OutboxRepository;
  private readonly acceptedRequests: AcceptedRequestsRepository;
  private readonly funnel: FunnelCountsRepository;
  private readonly transitions = new EnrollmentTransitionsRepository();
  private readonly history = new HistoryRepository();
  private readonly dueSteps = new DueStepsRepository();

  constructor(
    private readonly db: DataSource,
    private readonly lifecycleTopic: string,
    /** `fastPath`: notify the step-runners when a commit leaves a step due now (STEP_RUNNER_FAST_PATH). */
    private readonly options: { fastPath: boolean } = { fastPath: true },
  ) {
    this.enrollments = new EnrollmentsRepository(db);
    this.outbox = new OutboxRepository(db);
    this.acceptedRequests = new AcceptedRequestsRepository(db);
    this.funnel = new FunnelCountsRepository(db);
  }

  run<T>(work: (tx: TransactionStores) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(this.stores(tx)));
  }

  private stores(tx: EntityManager): TransactionStores {
    return {
      decisions: { insert: (rows) => this.enrollments.insertDecisions(tx, rows) },
      enrollments: {
        insert: async (rows) => {
          try {
            await this.enrollments.insertEnrollments(tx, rows);
          } catch (error) {
            if (isLiveEnrollmentConflict(error)) throw new LiveEnrollmentConflict();
            throw error;
          }
        },
        lockByIds: (keys) => this.transitions.lockByIds(tx, keys),
        lockLiveOfContacts: (keys) => this.transitions.lockLiveOfContacts(tx, keys),
        applyTransitions: (rows, now) => this.transitions.apply(tx, rows, now),
      },
      history: { append: (rows) => this.history.append(tx, rows) },
      funnel: { add: (rows) => this.funnel.add(tx, rows) },
      lifecycle: {
        append: (events) =>
          this.outbox.append(
            tx,
            events.map((event) => ({
              topic: this.lifecycleTopic,
              key: contactKey(event.accountId, event.contactId),
              payload: event,
            })),
          ),
      },
      dueSteps: {
        claim: (now, limit) => this.dueSteps.claimDue(tx, now, limit),
        advance: (rows, now) => this.dueSteps.advance(tx, rows, now),
        defer: (rows, now) => this.dueSteps.defer(tx, rows, now),
        park: (rows, now) => this.dueSteps.park(tx, rows, now),
      },
      preferences: { apply: (rows) => this.enrollments.facts.applyPreferences(tx, rows) },
      dailyCounts: { add: (rows) => this.enrollments.facts.addDailyCounts(tx, rows) },
      acceptedRequests: { markUnchanged: (noops) => this.acceptedRequests.markUnchanged(tx, noops) },
      // NOTIFY is transactional (heard once committed) and repeats within a transaction collapse into one.
      dueNow: {
        signal: async () => {
          if (this.options.fastPath) await tx.query(`SELECT pg_notify('${STEPS_DUE_CHANNEL}', '')`);
        },
      },
    };
  }
}
