import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EnrollmentCommand, Topics } from '@cadence/contracts';
import { contactKey } from '@cadence/contracts';
import type { Clock } from '@cadence/domain';
import { TOPICS } from '@cadence/kafka';
import {
  AccountsRepository,
  EnrollmentsRepository,
  OutboxRepository,
  SequencesRepository,
  liveKeyString,
  type LiveKey,
} from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';
import { liveKeyOf, planDecisionBatch } from './plan-decision-batch';

/**
 * Decides a partition's batch of enroll commands: reads every fact the batch needs in a few batched
 * queries, decides with the pure planner, then writes enrollments, history, decisions and lifecycle
 * outbox rows in one transaction. Redelivered commands (already decided) are skipped.
 */
@Injectable()
export class DecideEnrollmentsUseCase {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sequences: SequencesRepository,
    private readonly enrollments: EnrollmentsRepository,
    private readonly outbox: OutboxRepository,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many decisions were written. */
  async execute(commands: readonly EnrollmentCommand[]): Promise<number> {
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
    if (fresh.length === 0) return 0;

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

    const plan = planDecisionBatch(
      fresh,
      { accounts, sequences, live, firstRequestByKey },
      { now: this.clock.now(), newId: randomUUID },
    );
    await this.enrollments.transaction(async (tx) => {
      await this.enrollments.insertEnrollments(tx, plan.enrollments);
      await this.enrollments.insertHistory(tx, plan.history);
      await this.enrollments.insertDecisions(tx, plan.decisions);
      await this.outbox.append(
        tx,
        plan.lifecycle.map((event) => ({
          topic: this.topics.enrollmentLifecycle,
          key: contactKey(event.accountId, event.contactId),
          payload: event,
        })),
      );
    });
    return plan.decisions.length;
  }
}
