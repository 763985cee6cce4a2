import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import {
  cancelCommand,
  type ConversationActivity,
  type DomainEvent,
  type ExitRule,
  type TargetType,
} from '../../libs/contracts/src';
import { EnrollmentsRepository } from '../../libs/persistence/src';
import {
  createAccount,
  createPublishedSequence,
  domainEvent as buildDomainEvent,
  enrollCommand,
} from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

type Entities = DomainEvent['entities'];

/** Each exit rule of the vocabulary, the object it is about, and the event from outside that means it. */
const RULES: Array<{
  rule: ExitRule;
  target: TargetType;
  /** A domain event type, or one of the two conversation activities: 'inbound message', 'resolved status'. */
  event: string;
}> = [
  { rule: 'replied', target: 'contact', event: 'inbound message' },
  { rule: 'conversation_resolved', target: 'conversation', event: 'resolved status' },
  { rule: 'deal_won', target: 'deal', event: 'deal.won' },
  { rule: 'deal_lost', target: 'deal', event: 'deal.lost' },
  { rule: 'charge_paid', target: 'charge', event: 'charge.paid' },
  { rule: 'appointment_attended', target: 'appointment', event: 'appointment.attended' },
  { rule: 'appointment_rescheduled', target: 'appointment', event: 'appointment.rescheduled' },
];

const ENTITY: Record<TargetType, keyof Entities | null> = {
  contact: null,
  conversation: 'conversationId',
  deal: 'dealId',
  appointment: 'appointmentId',
  charge: 'chargeId',
};

describe('exit rules end to end: every rule, object-scoped exits, opt-out (events → trigger-router → enrollment)', () => {
  const env = useTestEnvironment();

  beforeAll(async () => {
    await env.start(enrollmentRole);
    await env.start(triggerRouterRole);
  });

  const domainEvent = (
    accountId: string,
    contactId: string,
    type: string,
    entities: Partial<Entities> = {},
  ) => {
    const value = buildDomainEvent({ accountId, contactId, type, entities });
    return { topic: env.topics.domainEvents, key: value.id, value };
  };
  const activity = (accountId: string, contactId: string, conversationId: string, resolved: boolean) => {
    const value: ConversationActivity = {
      id: randomUUID(),
      accountId,
      contactId,
      conversationId,
      kind: resolved ? 'status_change' : 'message',
      direction: resolved ? null : 'inbound',
      status: resolved ? 'resolved' : null,
      time: Date.now(),
    };
    return { topic: env.topics.conversationActivity, key: conversationId, value };
  };
  const enrollmentsOf = (accountId: string) =>
    env.db.query<
      Array<{
        id: string;
        sequence_id: string;
        contact_id: string;
        target_id: string;
        state: string;
        end_reason: string | null;
      }>
    >(
      `SELECT id, sequence_id, contact_id, target_id, state, end_reason FROM enrollments WHERE account_id = $1`,
      [accountId],
    );
  const enrolled = (accountId: string, count: number) =>
    waitUntil(
      `${count} live enrollments`,
      () => enrollmentsOf(accountId),
      (rows) => rows.length >= count,
    );

  it.each(RULES)('$rule ends the enrollment it names (from "$event")', async ({ rule, target, event }) => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      targetType: target,
      exitRules: [rule],
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'hello' }],
    });
    const objectId = `${target}-1`;
    await env.sendCommands([
      enrollCommand({
        accountId: account.id,
        contactId: 'ana',
        sequenceId: sequence.id,
        target: { type: target, id: target === 'contact' ? 'ana' : objectId },
      }),
    ]);
    await enrolled(account.id, 1);

    const entity = ENTITY[target];
    const message =
      event === 'inbound message'
        ? activity(account.id, 'ana', 'conv-1', false)
        : event === 'resolved status'
          ? activity(account.id, 'ana', objectId, true)
          : domainEvent(account.id, 'ana', event, entity ? { [entity]: objectId } : {});
    await env.producer.send([message]);

    const [ended] = await waitUntil(
      `the ${rule} exit`,
      () => enrollmentsOf(account.id),
      (rows) => rows[0]?.state === 'exited',
    );
    expect(ended?.end_reason).toBe(`exit:${rule}`);
  });

  it('a manual cancel ends the enrollment whatever its exit rules', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'hello' }],
    });
    await env.sendCommands([
      enrollCommand({ accountId: account.id, contactId: 'ana', sequenceId: sequence.id }),
    ]);
    const [live] = await enrolled(account.id, 1);
    await env.sendCommands([
      cancelCommand({
        commandId: randomUUID(),
        accountId: account.id,
        contactId: 'ana',
        requestedAt: Date.now(),
        enrollmentId: live?.id ?? '',
      }),
    ]);
    const [ended] = await waitUntil(
      'the cancel',
      () => enrollmentsOf(account.id),
      (rows) => rows[0]?.state === 'cancelled',
    );
    expect(ended?.end_reason).toBe('manual_cancel');
  });

  it('charge A paid ends the charge-A enrollment, not the charge-B one of the same contact', async () => {
    const account = await createAccount(env.db);
    const billing = await createPublishedSequence(env.db, account.id, {
      targetType: 'charge',
      exitRules: ['charge_paid'],
      steps: [{ delayMinutes: 60, channel: 'email', content: 'Your invoice' }],
    });
    await env.sendCommands(
      ['A', 'B'].map((id) =>
        enrollCommand({
          accountId: account.id,
          contactId: 'ana',
          sequenceId: billing.id,
          target: { type: 'charge', id },
        }),
      ),
    );
    await enrolled(account.id, 2);
    await env.producer.send([domainEvent(account.id, 'ana', 'charge.paid', { chargeId: 'A' })]);
    await waitUntil(
      'charge A to exit',
      () => enrollmentsOf(account.id),
      (rows) => rows.some((r) => r.state === 'exited'),
    );
    await env.drained([triggerRouterRole, enrollmentRole]);
    const states = Object.fromEntries((await enrollmentsOf(account.id)).map((r) => [r.target_id, r.state]));
    expect(states).toEqual({ A: 'exited', B: 'active' });
  });

  it("an opt-out ends all the contact's live enrollments in the account, refuses new ones until opted back in", async () => {
    const account = await createAccount(env.db);
    const other = await createAccount(env.db);
    const steps = [{ delayMinutes: 60, channel: 'sms' as const, content: 'hello' }];
    // No exit rule at all: an opt-out ends enrollments whatever their version lists.
    const welcome = await createPublishedSequence(env.db, account.id, { steps });
    const billing = await createPublishedSequence(env.db, account.id, { targetType: 'charge', steps });
    const elsewhere = await createPublishedSequence(env.db, other.id, { steps });
    await env.sendCommands([
      enrollCommand({ accountId: account.id, contactId: 'ana', sequenceId: welcome.id }),
      enrollCommand({
        accountId: account.id,
        contactId: 'ana',
        sequenceId: billing.id,
        target: { type: 'charge', id: 'ch-1' },
      }),
      enrollCommand({ accountId: account.id, contactId: 'bob', sequenceId: welcome.id }),
      enrollCommand({ accountId: other.id, contactId: 'ana', sequenceId: elsewhere.id }),
    ]);
    await enrolled(account.id, 3);
    await enrolled(other.id, 1);

    await env.producer.send([domainEvent(account.id, 'ana', 'contact.unsubscribed')]);
    await waitUntil(
      "ana's enrollments to end",
      () => enrollmentsOf(account.id),
      (rows) => rows.filter((r) => r.contact_id === 'ana').every((r) => r.state === 'exited'),
    );
    const byContact = (await enrollmentsOf(account.id)).map((r) => [r.contact_id, r.state, r.end_reason]);
    expect(byContact).toEqual(
      expect.arrayContaining([
        ['ana', 'exited', 'exit:opted_out'],
        ['ana', 'exited', 'exit:opted_out'],
        ['bob', 'active', null],
      ]),
    );
    expect((await enrollmentsOf(other.id)).map((r) => r.state)).toEqual(['active']);

    const refused = enrollCommand({ accountId: account.id, contactId: 'ana', sequenceId: welcome.id });
    await env.sendCommands([refused]);
    const reasonOf = async (requestId: string) =>
      (
        await env.db.query<Array<{ reason: string }>>(
          `SELECT reason FROM enrollment_decisions WHERE account_id = $1 AND request_id = $2`,
          [account.id, requestId],
        )
      )[0]?.reason;
    await waitUntil(
      'the refusal',
      () => reasonOf(refused.commandId),
      (reason) => reason !== undefined,
    );
    expect(await reasonOf(refused.commandId)).toBe('contact_opted_out');

    await env.producer.send([domainEvent(account.id, 'ana', 'contact.resubscribed')]);
    await env.drained([triggerRouterRole, enrollmentRole]);
    const welcomeBack = enrollCommand({ accountId: account.id, contactId: 'ana', sequenceId: welcome.id });
    await env.sendCommands([welcomeBack]);
    await waitUntil(
      'the new decision',
      () => reasonOf(welcomeBack.commandId),
      (reason) => reason !== undefined,
    );
    expect(await reasonOf(welcomeBack.commandId)).toBe('enrolled');
  });

  it('the step-runner sends nothing to a contact that opted out: an enrollment that slipped in on the other lane exits', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 0, channel: 'sms', content: 'hello' }],
    });
    await env.producer.send([domainEvent(account.id, 'zoe', 'contact.blocked')]);
    await env.drained([triggerRouterRole, enrollmentRole]);
    // What an automation-lane enroll decided at the very instant of the opt-out leaves behind: a live
    // enrollment of an opted-out contact, due now.
    const slipped = randomUUID();
    await new EnrollmentsRepository(env.db).insertEnrollments(env.db.manager, [
      {
        id: slipped,
        accountId: account.id,
        sequenceId: sequence.id,
        sequenceVersion: sequence.version,
        contactId: 'zoe',
        targetType: 'contact',
        targetId: 'zoe',
        method: 'automation',
        requestId: `slipped-${slipped}`,
        nextStepDueAt: new Date(),
        createdAt: new Date(),
      },
    ]);
    const sms = await env.collect<{ enrollmentId: string }>(env.topics.outbound.sms);
    await env.start(stepRunnerRole);
    const [exited] = await waitUntil(
      'the step-runner to exit it',
      () =>
        env.db.query<Array<{ state: string; end_reason: string | null }>>(
          `SELECT state, end_reason FROM enrollments WHERE id = $1`,
          [slipped],
        ),
      (rows) => rows[0]?.state === 'exited',
    );
    expect(exited?.end_reason).toBe('exit:opted_out');
    // The state change was committed after the pass that would have sent it: nothing was sent.
    expect((await sms.caughtUp()).filter((m) => m.value.enrollmentId === slipped)).toEqual([]);
  });
});
