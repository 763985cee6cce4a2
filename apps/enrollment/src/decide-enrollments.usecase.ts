import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EnrollmentCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import type { Clock } from '@cadence/domain';
import {
  AccountsRepository,
  EnrollmentsRepository,
  SequencesRepository,
  isLiveEnrollmentConflict,
  liveKeyString,
  type LiveKey,
} from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { LOGGER, type Logger } from '@cadence/observability';
import { decisionLifecycleEvent } from './decision-lifecycle-event';
import { DecisionMetrics } from './decision-metrics';
import { liveKeyOf, planDecisionBatch } from './plan-decision-batch';

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
    private readonly accounts: AccountsRepository,
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
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
  async execute(commands: readonly EnrollmentCommand[]): Promise<EnrollmentLifecycleEvent[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.decideBatch(commands);
      } catch (error) {
        if (!isLiveEnrollmentConflict(error) || attempt === MAX_ATTEMPTS) throw error;
        this.logger.info({ attempt }, 'another lane enrolled one of these keys first; deciding again');
      }
    }
  }

  private async decideBatch(commands: readonly EnrollmentCommand[]): Promise<EnrollmentLifecycleEvent[]> {
    const requests = distinctRequests(commands);
    const optimistic = await this.decide(requests, { allNew: true });
    if (optimistic) return optimistic;

    const decided = await this.enrollments.findDecidedRequests(
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
    requests: readonly EnrollmentCommand[],
    { allNew }: { allNew: boolean },
  ): Promise<EnrollmentLifecycleEvent[] | null> {
    const startedAt = Date.now();
    const [accounts, sequences, firstRequestByKey] = await Promise.all([
      this.accounts.findMany(requests.map((c) => c.accountId)),
      this.sequences.findMany(requests.flatMap((c) => (c.sequenceId ? [c.sequenceId] : []))),
      this.enrollments.findFirstRequestByKey(
        requests.flatMap((c) =>
          c.idempotencyKey ? [{ accountId: c.accountId, value: c.idempotencyKey }] : [],
        ),
      ),
    ]);
    const liveKeys = new Map<string, LiveKey>();
    for (const command of requests) {
      const definition = command.sequenceId ? (sequences.get(command.sequenceId)?.definition ?? null) : null;
      if (!liveKeyOf(command, definition)) continue;
      const target = command.target ?? { type: 'contact' as const, id: command.contactId };
      const key: LiveKey = {
        accountId: command.accountId,
        sequenceId: command.sequenceId!,
        contactId: command.contactId,
        targetType: target.type,
        targetId: target.id,
      };
      liveKeys.set(liveKeyString(key), key);
    }
    const live = await this.enrollments.findLive([...liveKeys.values()]);

    const readAt = Date.now();
    const plan = planDecisionBatch(
      requests,
      { accounts, sequences, live, firstRequestByKey },
      { now: this.clock.now(), newId: randomUUID },
    );
    const plannedAt = Date.now();
    try {
      await this.enrollments.transaction(async (tx) => {
        const recorded = await this.enrollments.insertDecisions(tx, plan.decisions);
        if (recorded < plan.decisions.length) {
          if (allNew) throw new DecidedBefore();
          throw new Error(`${plan.decisions.length - recorded} requests were decided concurrently`);
        }
        await this.enrollments.insertEnrollments(tx, plan.enrollments);
        await this.enrollments.insertHistory(tx, plan.history);
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

const requestKey = (command: EnrollmentCommand): string => `${command.accountId}|${command.commandId}`;

/** The batch without repeats of a request id (the first one counts). */
function distinctRequests(commands: readonly EnrollmentCommand[]): EnrollmentCommand[] {
  const seen = new Set<string>();
  return commands.filter((command) => {
    const key = requestKey(command);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
