import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { SequenceTriggerIndex } from '../../apps/trigger-router/src/sequence-trigger-index';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import {
  contactKey,
  dlqTopic,
  emptyProvenance,
  toCommandRecord,
  type DomainEvent,
} from '../../libs/contracts/src';
import { SequencesRepository } from '../../libs/persistence/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

describe('automatic enrollment: events, automation/macro/flow commands, bad input', () => {
  const env = useTestEnvironment();
  /** Every trigger router started (they share one consumer group: any of them may route an event). */
  const routers: INestApplication[] = [];
  const startRouter = async () => {
    const router = await env.start(triggerRouterRole);
    routers.push(router);
    return router;
  };

  beforeAll(async () => {
    await env.start(enrollmentRole);
  });

  const domainEvent = (
    accountId: string,
    type: string,
    entities: Partial<DomainEvent['entities']>,
  ): DomainEvent => ({
    id: randomUUID(),
    source: 'crm',
    type,
    time: Date.now(),
    subject: null,
    accountId,
    contactId: 'contact-1',
    entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: null, ...entities },
    data: {},
  });
  const decisions = async (accountId: string) =>
    env.db.query<Array<{ reason: string; method: string; target_id: string | null; request_id: string }>>(
      `SELECT reason, method, target_id, request_id FROM enrollment_decisions WHERE account_id = $1 ORDER BY decided_at`,
      [accountId],
    );

  it('an event enrolls into the matching sequence, an event without its target is refused with the reason, an unheard event writes nothing', async () => {
    const account = await createAccount(env.db);
    const stalled = await createPublishedSequence(env.db, account.id, {
      targetType: 'deal',
      triggers: [{ type: 'event', eventType: 'deal.stalled' }],
      steps: [{ delayMinutes: 60, channel: 'email', content: 'Shall we talk?' }],
    });
    const commands = await env.collect(env.topics.enrollmentCommands);
    await startRouter();

    const withDeal = domainEvent(account.id, 'deal.stalled', { dealId: 'deal-9' });
    const withoutDeal = domainEvent(account.id, 'deal.stalled', { conversationId: 'conv-1' });
    const unheard = domainEvent(account.id, 'invoice.viewed', { chargeId: 'ch-1' });
    await env.producer.send(
      [withDeal, withoutDeal, unheard].map((value) => ({
        topic: env.topics.domainEvents,
        key: value.id,
        value,
      })),
    );
    const found = await waitUntil(
      'two decisions',
      () => decisions(account.id),
      (rows) => rows.length >= 2,
    );
    expect(found.map((d) => [d.request_id, d.reason, d.method, d.target_id])).toEqual(
      expect.arrayContaining([
        [`event:${withDeal.id}:${stalled.id}`, 'enrolled', 'event', 'deal-9'],
        [`event:${withoutDeal.id}:${stalled.id}`, 'target_mismatch', 'event', null],
      ]),
    );
    // Barrier: the router has handled all three events (it commits after sending their commands), the
    // enrollment app has decided every command, and the collector has read them all.
    await env.drained([triggerRouterRole, enrollmentRole]);
    await commands.caughtUp();
    expect(await decisions(account.id)).toHaveLength(2);
    // The unheard event produced no command at all (so no write anywhere).
    expect(commands.messages).toHaveLength(2);
  });

  it('the router sees a sequence published, deactivated and reactivated while it runs, as each is committed', async () => {
    // The test environment sets the backstop reload to an hour: only the database's notifications can tell.
    const account = await createAccount(env.db);
    await startRouter();
    // Another test's router shares the consumer group and may own the event's partition: every router's
    // index is awaited, not only this one's.
    const listening = () =>
      routers.map((router) =>
        router
          .get(SequenceTriggerIndex)
          .listeners(account.id, 'charge.overdue')
          .map((entry) => entry.sequenceId),
      );
    const everyRouter = (what: string, until: (sequenceIds: string[]) => boolean) =>
      waitUntil(`every router's index ${what}`, listening, (indexes) => indexes.every(until), {
        timeoutMs: 15_000, // far below the hour of the backstop reload
      });

    const billing = await createPublishedSequence(env.db, account.id, {
      targetType: 'charge',
      triggers: [{ type: 'event', eventType: 'charge.overdue' }],
      steps: [{ delayMinutes: 0, channel: 'email', content: 'Your invoice is overdue' }],
    });
    const listed = (sequenceIds: string[]) => sequenceIds.includes(billing.id);
    await everyRouter('to list the published sequence', listed);
    const first = domainEvent(account.id, 'charge.overdue', { chargeId: 'ch-1' });
    await env.producer.send([{ topic: env.topics.domainEvents, key: first.id, value: first }]);
    await waitUntil(
      'the first decision',
      () => decisions(account.id),
      (rows) => rows.length === 1,
    );

    const sequences = new SequencesRepository(env.db);
    await sequences.setActive(account.id, billing.id, false);
    await everyRouter('to drop the deactivated sequence', (sequenceIds) => sequenceIds.length === 0);
    await sequences.setActive(account.id, billing.id, true);
    await everyRouter('to list the reactivated sequence', listed);
    const second = domainEvent(account.id, 'charge.overdue', { chargeId: 'ch-2' });
    await env.producer.send([{ topic: env.topics.domainEvents, key: second.id, value: second }]);
    const both = await waitUntil(
      'the second decision',
      () => decisions(account.id),
      (rows) => rows.length === 2,
    );
    expect(both.map((d) => [d.reason, d.target_id])).toEqual([
      ['enrolled', 'ch-1'],
      ['enrolled', 'ch-2'],
    ]);
  });

  it('automation, macro and flow commands enroll with their provenance; without the module they are refused', async () => {
    const licensed = await createAccount(env.db, { automationModuleEnabled: true });
    const unlicensed = await createAccount(env.db, { automationModuleEnabled: false });
    const steps = [{ delayMinutes: 60, channel: 'sms' as const, content: 'Welcome!' }];
    const provenance = {
      automation: { ...emptyProvenance(), ruleId: 'rule-new-lead' },
      macro: { ...emptyProvenance(), macroId: 'macro-vip', agentId: 'agent-7' },
      flow: { ...emptyProvenance(), flowId: 'flow-onboarding', nodeId: 'node-3' },
    } as const;
    for (const account of [licensed, unlicensed]) {
      const sequence = await createPublishedSequence(env.db, account.id, { steps });
      await env.producer.send(
        (['automation', 'macro', 'flow'] as const).map((method) => {
          const command = enrollCommand({
            accountId: account.id,
            contactId: `${method}-contact`,
            sequenceId: sequence.id,
            method,
            provenance: provenance[method],
          });
          return {
            topic: env.topics.automationCommands,
            key: contactKey(account.id, command.contactId),
            value: toCommandRecord(command),
          };
        }),
      );
    }
    const licensedDecisions = await waitUntil(
      "the licensed account's three decisions",
      () => decisions(licensed.id),
      (rows) => rows.length === 3,
    );
    expect(licensedDecisions.map((d) => d.reason)).toEqual(['enrolled', 'enrolled', 'enrolled']);
    const refused = await waitUntil(
      "the unlicensed account's three decisions",
      () => decisions(unlicensed.id),
      (rows) => rows.length === 3,
    );
    expect(refused.map((d) => d.reason)).toEqual(['module_disabled', 'module_disabled', 'module_disabled']);

    const history: Array<{
      method: string;
      details: Record<string, unknown>;
      provenance: Record<string, string>;
    }> = await env.db.query(
      `SELECT e.method, h.details, d.provenance
           FROM enrollment_history h
           JOIN enrollments e ON e.id = h.enrollment_id
           JOIN enrollment_decisions d ON d.account_id = e.account_id AND d.request_id = e.request_id
          WHERE e.account_id = $1 ORDER BY e.method`,
      [licensed.id],
    );
    expect(history.map((h) => [h.method, h.provenance, h.details.provenance])).toEqual([
      ['automation', { ruleId: 'rule-new-lead' }, { ruleId: 'rule-new-lead' }],
      [
        'flow',
        { flowId: 'flow-onboarding', nodeId: 'node-3' },
        { flowId: 'flow-onboarding', nodeId: 'node-3' },
      ],
      ['macro', { macroId: 'macro-vip', agentId: 'agent-7' }, { macroId: 'macro-vip', agentId: 'agent-7' }],
    ]);
  });

  it('bad input on the domain-event and conversation-activity topics goes to their DLQs', async () => {
    await startRouter();
    const eventsDlq = await env.collect(dlqTopic(env.topics.domainEvents));
    const activityDlq = await env.collect(dlqTopic(env.topics.conversationActivity));
    const badEvent = await env.codec.encode(env.topics.domainEvents, {
      ...domainEvent(randomUUID(), 'deal.stalled', {}),
      accountId: 'not-a-uuid',
    });
    await env.producer.producer.send({
      topic: env.topics.domainEvents,
      messages: [
        { key: 'k', value: Buffer.from('garbage') },
        { key: 'k', value: badEvent },
      ],
    });
    const badActivity = await env.codec.encode(env.topics.conversationActivity, {
      id: 'a1',
      accountId: randomUUID(),
      contactId: 'c',
      conversationId: 'conv',
      kind: 'message',
      direction: null,
      status: null,
      time: Date.now(),
    });
    await env.producer.producer.send({
      topic: env.topics.conversationActivity,
      messages: [
        { key: 'conv', value: Buffer.from([0, 0, 0, 0, 99]) },
        { key: 'conv', value: badActivity },
      ],
    });
    const events = await eventsDlq.waitFor(2);
    expect(events.map((m) => m.headers['dlq-reason'])).toEqual(['undecodable', 'invalid']);
    expect(events[1]!.headers['dlq-detail']).toMatch(/accountId/);
    const activities = await activityDlq.waitFor(2);
    expect(activities.map((m) => m.headers['dlq-reason'])).toEqual(['undecodable', 'invalid']);
    expect(activities[1]!.headers['dlq-detail']).toMatch(/direction: required for a message/);
  });
});
