import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import {
  contactKey,
  type DomainEvent,
  type EnrollmentLifecycleEvent,
  type OutboundMessageCommand,
} from '../../libs/contracts/src';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';

describe('walking skeleton: a domain event flows to an outbound message command', () => {
  const env = useTestEnvironment();

  it('charge.overdue → enroll command → enrollment pinned to v1 → first WhatsApp step on its topic', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      targetType: 'charge',
      triggers: [{ type: 'event', eventType: 'charge.overdue' }],
      steps: [
        { delayMinutes: 0, channel: 'whatsapp', content: 'Your charge is overdue. Pay here: {{link}}' },
        {
          delayMinutes: 1440,
          channel: 'email',
          template: { name: 'overdue-reminder', variables: { tone: 'firm' } },
        },
      ],
      exitRules: ['charge_paid'],
    });
    const outbound = await env.collect<OutboundMessageCommand>(env.topics.outbound.whatsapp);
    const lifecycle = await env.collect<EnrollmentLifecycleEvent>(env.topics.enrollmentLifecycle);
    await env.start(triggerRouterRole);
    await env.start(enrollmentRole);
    await env.start(stepRunnerRole);
    const api = await env.start(apiRole);

    const event: DomainEvent = {
      id: randomUUID(),
      source: 'billing',
      type: 'charge.overdue',
      time: Date.now(),
      subject: null,
      accountId: account.id,
      contactId: 'contact-42',
      entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: 'charge-7' },
      data: { amount: '120.00' },
    };
    await env.producer.send([{ topic: env.topics.domainEvents, key: event.id, value: event }]);

    const message = (await outbound.waitFor(1, 60_000))[0]!;
    // The command reaches the broker before the step-runner's transaction commits; its outbox event after.
    const events = await lifecycle.waitFor(2);
    expect(events.map((e) => e.value.type).sort()).toEqual(['started', 'step_sent']);
    const enrollments: Array<Record<string, unknown>> = await env.db.query(
      `SELECT id, state, sequence_version, next_step_index, method, target_type, target_id, contact_id FROM enrollments`,
    );
    expect(enrollments).toHaveLength(1);
    const enrollment = enrollments[0]!;
    expect(enrollment).toMatchObject({
      state: 'active',
      sequence_version: 1,
      next_step_index: 1,
      method: 'event',
      target_type: 'charge',
      target_id: 'charge-7',
      contact_id: 'contact-42',
    });
    expect(message.key).toBe(contactKey(account.id, 'contact-42'));
    expect(message.value).toEqual({
      commandId: `${String(enrollment.id)}:0`,
      accountId: account.id,
      contactId: 'contact-42',
      channel: 'whatsapp',
      enrollmentId: enrollment.id,
      sequenceId: sequence.id,
      sequenceVersion: 1,
      stepIndex: 0,
      targetType: 'charge',
      targetId: 'charge-7',
      content: 'Your charge is overdue. Pay here: {{link}}',
      templateName: null,
      variables: {},
      dueAt: expect.any(Number) as number,
      emittedAt: expect.any(Number) as number,
    });

    const decisions: Array<Record<string, unknown>> = await env.db.query(
      `SELECT request_id, outcome, reason, method, provenance FROM enrollment_decisions`,
    );
    expect(decisions).toEqual([
      expect.objectContaining({
        request_id: `event:${event.id}:${sequence.id}`,
        outcome: 'enrolled',
        reason: 'enrolled',
        method: 'event',
        provenance: expect.objectContaining({ eventId: event.id, eventType: 'charge.overdue' }) as unknown,
      }),
    ]);
    const history: Array<{ to_state: string; cause: string; step_index: number | null }> = await env.db.query(
      `SELECT to_state, cause, step_index FROM enrollment_history ORDER BY id`,
    );
    expect(history).toEqual([
      { to_state: 'active', cause: 'enrolled:event', step_index: null },
      { to_state: 'active', cause: 'step_sent', step_index: 0 },
    ]);
    const address = (api.getHttpServer() as Server).address() as AddressInfo;
    const ready = await fetch(`http://127.0.0.1:${address.port}/health/ready`);
    expect(ready.status).toBe(200);
  });
});
