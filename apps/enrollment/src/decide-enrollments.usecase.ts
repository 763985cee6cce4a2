import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EnrollmentCommand, EnrollmentLifecycleEvent } from '@cadence/contracts';
import type { Clock } from '@cadence/domain';
import {
  AccountsRepository,
  EnrollmentsRepository,
  SequencesRepository,
  liveKeyString,
  type LiveKey,
} from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { LOGGER, type Logger } from '@cadence/observability';
import { decisionLifecycleEvent } from './decision-lifecycle-event';
import { liveKeyOf, planDecisionBatch } from './plan-decision-batch';

export interface DecidedBatch {
  decided: number;
  /** "started"/"ignored" events to publish once the transaction committed (again, for redelivered requests). */
  lifecycle: EnrollmentLifecycleEvent[];
}

/**
 * Decides a partition's batch of enroll commands: reads every fact the batch needs in a few batched
 * queries, decides with the pure planner, then writes enrollments, history and decisions in one
 * transaction. Redelivered commands (already decided) are not decided again; their lifecycle events are
 * rebuilt from the stored decisions, so a crash between commit and publish loses no event.
 */
@Injectable()
export class DecideEnrollmentsUseCase {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(commands: readonly EnrollmentCommand[]): Promise<DecidedBatch> {
    const startedAt = Date.now();
    const decided = await this.enrollments.findDecidedRequests(
      commands.map((c) => ({ accountId: c.accountId, value: c.commandId })),
    );
    const seen = new Set<string>();
    const fresh = commands.filter((c) => {
      const key = `${c.accountId}|${c.commandId}`;
      if (decided.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const replayed = [...decided.values()].map(decisionLifecycleEvent);
    if (fresh.length === 0) return { decided: 0, lifecycle: replayed };

    const [accounts, sequences, firstRequestByKey] = await Promise.all([
      this.accounts.findMany(fresh.map((c) => c.accountId)),
      this.sequences.findMany(fresh.flatMap((c) => (c.sequenceId ? [c.sequenceId] : []))),
      this.enrollments.findFirstRequestByKey(
        fresh.flatMap((c) => (c.idempotencyKey ? [{ accountId: c.accountId, value: c.idempotencyKey }] : [])),
      ),
    ]);
    const liveKeys = new Map<string, LiveKey>();
    for (const command of fresh) {
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
      fresh,
      { accounts, sequences, live, firstRequestByKey },
      { now: this.clock.now(), newId: randomUUID },
    );
    const plannedAt = Date.now();
    await this.enrollments.transaction(async (tx) => {
      await this.enrollments.insertEnrollments(tx, plan.enrollments);
      await this.enrollments.insertHistory(tx, plan.history);
      await this.enrollments.insertDecisions(tx, plan.decisions);
    });
    this.logger.debug(
      {
        decisions: plan.decisions.length,
        readMs: readAt - startedAt,
        planMs: plannedAt - readAt,
        writeMs: Date.now() - plannedAt,
      },
      'decided',
    );
    return { decided: plan.decisions.length, lifecycle: [...replayed, ...plan.lifecycle] };
  }
}
