import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EnrollCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import {
  AccountDirectory,
  DailyCapRace,
  DecisionLedger,
  LiveEnrollmentConflict,
  SequenceCatalog,
  UnitOfWork,
  contactsToRead,
  hasStepDueBy,
  dailyCountsToRead,
  decisionLifecycleEvent,
  endedKeysToRead,
  liveKeysToRead,
  planDecisionBatch,
  type Clock,
} from '@cadence/domain';
import { LOGGER, type Logger } from '@cadence/observability';
import { CLOCK } from '@cadence/runtime';
import { DecisionMetrics } from './decision-metrics';

/** Thrown inside the transaction to roll it back when a request of the batch turned out to be decided before. */
class DecidedBefore extends Error {}

/**
 * Decides a partition's batch of enroll commands: reads every fact the batch needs in a few batched
 * queries, decides with the pure planner, then writes decisions, enrollments and history in one transaction.
 *
 * A request is decided once. Almost every batch is new, so the batch is first decided as if none of its
 * requests had been seen; the decisions' primary key tells otherwise (a redelivery after a crash, a command
 * sent twice), and then the transaction is rolled back and the batch decided again without the requests that
 * already have a decision. Their lifecycle events are rebuilt from the stored decisions, so a crash between
 * commit and publish loses no event.
 */
@Injectable()
export class DecideEnrollmentsUseCase {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly sequences: SequenceCatalog,
    private readonly ledger: DecisionLedger,
    private readonly unitOfWork: UnitOfWork,
    private readonly metrics: DecisionMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Enroll commands of one contact can reach two lanes at once (the enrollment and automation topics are
   * consumed in parallel). When the other lane commits a live enrollment first, the unique index refuses
   * ours; the batch is then decided again from fresh reads, which see the winner.
   *
   * Returns the "started"/"ignored" events to publish once committed (again, for requests decided before).
   */
  async execute(commands: readonly EnrollCommand[]): Promise<EnrollmentLifecycleEvent[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.decideBatch(commands);
      } catch (error) {
        const raced = error instanceof LiveEnrollmentConflict || error instanceof DailyCapRace;
        if (!raced || attempt === MAX_ATTEMPTS) throw error;
        this.logger.info({ attempt, race: error.name }, 'another lane decided first; deciding again');
      }
    }
  }

  private async decideBatch(commands: readonly EnrollCommand[]): Promise<EnrollmentLifecycleEvent[]> {
    const requests = distinctRequests(commands);
    const optimistic = await this.decide(requests, { allNew: true });
    if (optimistic) return optimistic;

    const decided = await this.ledger.findDecidedRequests(
      requests.map((c) => ({ accountId: c.accountId, value: c.commandId })),
    );
    const fresh = requests.filter((c) => !decided.has(requestKey(c)));
    const replayed = [...decided.values()].map(decisionLifecycleEvent);
    this.logger.info({ requests: requests.length, decidedBefore: decided.size }, 'requests decided before');
    const lifecycle = fresh.length > 0 ? await this.decide(fresh, { allNew: false }) : [];
    return [...replayed, ...(lifecycle ?? [])];
  }

  /**
   * Decides and records the requests; returns their lifecycle events, or null when `allNew` was assumed and
   * one of them already had a decision (nothing was written).
   */
  private async decide(
    requests: readonly EnrollCommand[],
    { allNew }: { allNew: boolean },
  ): Promise<EnrollmentLifecycleEvent[] | null> {
    const startedAt = Date.now();
    const now = this.clock.now();
    const [accounts, sequences, firstRequestByKey, optedOut] = await Promise.all([
      this.accounts.findMany(requests.map((c) => c.accountId)),
      this.sequences.findMany(requests.map((c) => c.sequenceId)),
      this.ledger.findFirstRequestByKey(
        requests.flatMap((c) =>
          c.idempotencyKey ? [{ accountId: c.accountId, value: c.idempotencyKey }] : [],
        ),
      ),
      this.ledger.findOptedOut(contactsToRead(requests)),
    ]);
    const [live, lastEnded, enrolledOnDay] = await Promise.all([
      this.ledger.findLive(liveKeysToRead(requests, sequences)),
      this.ledger.findLastEnded(endedKeysToRead(requests, sequences)),
      this.ledger.findDailyCounts(dailyCountsToRead(requests, { sequences, accounts }, now)),
    ]);

    const readAt = Date.now();
    const plan = planDecisionBatch(
      requests,
      { accounts, sequences, live, firstRequestByKey, optedOut, lastEnded, enrolledOnDay },
      { now, newId: randomUUID },
    );
    const plannedAt = Date.now();
    try {
      await this.unitOfWork.run(async (tx) => {
        const recorded = await tx.decisions.insert(plan.decisions);
        if (recorded.size < plan.decisions.length) {
          if (allNew) throw new DecidedBefore();
          throw new Error(`${plan.decisions.length - recorded.size} requests were decided concurrently`);
        }
        await tx.enrollments.insert(plan.enrollments);
        await tx.history.append(plan.history);
        const overCap = await tx.dailyCounts.add(plan.dailyCounts);
        if (overCap.length > 0) throw new DailyCapRace();
        // Last, so the shared counter rows are locked for the shortest time before the commit.
        await tx.funnel.add(plan.funnel);
        if (hasStepDueBy(plan.enrollments, now)) await tx.dueNow.signal();
      });
    } catch (error) {
      if (error instanceof DecidedBefore) return null;
      throw error;
    }
    this.metrics.recorded(plan.decisions);
    this.logger.debug(
      {
        decisions: plan.decisions.length,
        readMs: readAt - startedAt,
        planMs: plannedAt - readAt,
        writeMs: Date.now() - plannedAt,
      },
      'decided',
    );
    return plan.lifecycle;
  }
}

const MAX_ATTEMPTS = 3;

const requestKey = (command: EnrollCommand): string => `${command.accountId}|${command.commandId}`;

/** The batch without repeats of a request id (the first one counts). */
function distinctRequests(commands: readonly EnrollCommand[]): EnrollCommand[] {
  const seen = new Set<string>();
  return commands.filter((command) => {
    const key = requestKey(command);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
