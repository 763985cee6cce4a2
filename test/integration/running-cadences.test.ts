import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { StepTimerWorker } from '../../apps/step-runner/src/step-timer.worker';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import {
  pauseCommand,
  resumeCommand,
  type ConversationActivity,
  type EnrollmentCommand,
  type OutboundMessageCommand,
} from '../../libs/contracts/src';
import { ManualClock, type SequenceDefinition } from '../../libs/domain/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import type { TopicCollector } from '../support/test-environment';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const MINUTE = 60_000;
type Sent = OutboundMessageCommand & { topic: string };

describe('running cadences: steps on schedule, exits, pause/resume, send windows', () => {
  const env = useTestEnvironment();
  const clock = new ManualClock(new Date('2026-03-04T10:00:00Z')); // a Wednesday
  let accountId: string;
  const collectors: Array<[string, TopicCollector<OutboundMessageCommand>]> = [];
  let stepTimer: StepTimerWorker;

  beforeAll(async () => {
    accountId = (await createAccount(env.db)).id;
    for (const topic of Object.values(env.topics.outbound))
      collectors.push([topic, await env.collect(topic)]);
    await env.start(triggerRouterRole, { clock });
    await env.start(enrollmentRole, { clock });
    stepTimer = (await env.start(stepRunnerRole, { clock })).get(StepTimerWorker);
  });

  const sentTo = (contactId: string): Sent[] =>
    collectors
      .flatMap(([topic, collector]) => collector.messages.map((m) => ({ ...m.value, topic })))
      .filter((m) => m.contactId === contactId)
      .sort((a, b) => a.stepIndex - b.stepIndex);

  const waitForSent = (contactId: string, count: number) =>
    waitUntil(
      `${count} commands sent to ${contactId}`,
      () => sentTo(contactId),
      (sent) => sent.length >= count,
    );

  const stateOf = async (contactId: string): Promise<string | undefined> => {
    const rows: Array<{ state: string }> = await env.db.query(
      `SELECT state FROM enrollments WHERE account_id = $1 AND contact_id = $2 ORDER BY created_at DESC LIMIT 1`,
      [accountId, contactId],
    );
    return rows[0]?.state;
  };
  const waitForState = (contactId: string, state: string) =>
    waitUntil(
      `the enrollment of ${contactId} ${state}`,
      () => stateOf(contactId),
      (now) => now === state,
    );

  const command = async (value: EnrollmentCommand) => env.sendCommands([value]);

  async function enroll(
    contactId: string,
    definition: Partial<SequenceDefinition> & Pick<SequenceDefinition, 'steps'>,
  ) {
    const sequence = await createPublishedSequence(env.db, accountId, definition);
    await command(
      enrollCommand({ accountId, contactId, sequenceId: sequence.id, requestedAt: clock.now().getTime() }),
    );
    await waitForState(contactId, 'active');
    const rows: Array<{ id: string }> = await env.db.query(
      `SELECT id FROM enrollments WHERE account_id = $1 AND contact_id = $2`,
      [accountId, contactId],
    );
    return { sequenceId: sequence.id, enrollmentId: rows[0]!.id };
  }

  /**
   * Barrier before asserting what was (not) sent: the step-runner finishes its pass in flight and makes one
   * more at the manual clock's time, then the collectors read everything on the channel topics. Whatever was
   * due has been fired by then and is in `sentTo`.
   */
  const allFiredAndRead = async () => {
    await stepTimer.tick();
    await Promise.all(collectors.map(([, collector]) => collector.caughtUp()));
  };

  it('runs a 3-step cadence to completion: exactly 3 commands, in order, on each step’s channel topic', async () => {
    const { enrollmentId } = await enroll('three-steps', {
      steps: [
        { delayMinutes: 0, channel: 'whatsapp', content: 'one' },
        { delayMinutes: 60, channel: 'email', content: 'two' },
        { delayMinutes: 1440, channel: 'sms', content: 'three' },
      ],
    });
    await waitForSent('three-steps', 1);
    clock.advance(60 * MINUTE);
    await waitForSent('three-steps', 2);
    clock.advance(1440 * MINUTE);
    await waitForState('three-steps', 'completed');
    await allFiredAndRead();
    const sent = sentTo('three-steps');
    expect(sent.map((m) => [m.stepIndex, m.topic, m.content, m.commandId])).toEqual([
      [0, env.topics.outbound.whatsapp, 'one', `${enrollmentId}:0`],
      [1, env.topics.outbound.email, 'two', `${enrollmentId}:1`],
      [2, env.topics.outbound.sms, 'three', `${enrollmentId}:2`],
    ]);
    expect(sent[1]!.emittedAt - sent[0]!.emittedAt).toBe(60 * MINUTE);
    expect(sent[2]!.emittedAt - sent[1]!.emittedAt).toBe(1440 * MINUTE);
  });

  it('a reply between step 1 and step 2 exits the enrollment, and step 2 never appears', async () => {
    const { sequenceId } = await enroll('replier', {
      exitRules: ['replied'],
      steps: [
        { delayMinutes: 0, channel: 'whatsapp', content: 'hello?' },
        { delayMinutes: 60, channel: 'whatsapp', content: 'still there?' },
      ],
    });
    await waitForSent('replier', 1);
    clock.advance(10 * MINUTE);
    const reply: ConversationActivity = {
      id: randomUUID(),
      accountId,
      contactId: 'replier',
      conversationId: 'conv-1',
      kind: 'message',
      direction: 'inbound',
      status: null,
      time: clock.now().getTime(),
    };
    await env.producer.send([{ topic: env.topics.conversationActivity, key: 'conv-1', value: reply }]);
    await waitForState('replier', 'exited');
    clock.advance(120 * MINUTE);
    await allFiredAndRead();
    expect(sentTo('replier').map((m) => m.stepIndex)).toEqual([0]);
    const history: Array<{ cause: string }> = await env.db.query(
      `SELECT h.cause FROM enrollment_history h JOIN enrollments e ON e.id = h.enrollment_id
        WHERE e.contact_id = 'replier' ORDER BY h.id`,
    );
    expect(history.map((h) => h.cause)).toEqual(['enrolled:api', 'step_sent', 'exit:replied']);

    // The exit freed the slot: the contact can be enrolled again.
    await command(
      enrollCommand({ accountId, contactId: 'replier', sequenceId, requestedAt: clock.now().getTime() }),
    );
    await waitForState('replier', 'active');
  });

  it.each([
    ['send_now', [0, 1, 2]],
    ['skip', [0, 2]],
  ] as const)(
    'pause, then resume with an overdue step under the %s policy',
    async (policy, expectedSteps) => {
      const contactId = `pauser-${policy}`;
      const { enrollmentId } = await enroll(contactId, {
        resumePolicy: policy,
        steps: [
          { delayMinutes: 0, channel: 'sms', content: 'a' },
          { delayMinutes: 60, channel: 'sms', content: 'b' },
          { delayMinutes: 60, channel: 'sms', content: 'c' },
        ],
      });
      await waitForSent(contactId, 1);
      const transition = (kind: 'pause' | 'resume') =>
        command(
          (kind === 'pause' ? pauseCommand : resumeCommand)({
            commandId: randomUUID(),
            accountId,
            contactId,
            enrollmentId,
            requestedAt: clock.now().getTime(),
          }),
        );
      await transition('pause');
      await waitForState(contactId, 'paused');
      clock.advance(120 * MINUTE); // step 1 falls due while paused
      await allFiredAndRead();
      expect(sentTo(contactId)).toHaveLength(1);

      await transition('resume');
      await waitForState(contactId, 'active');
      if (policy === 'send_now') await waitForSent(contactId, 2);
      clock.advance(61 * MINUTE);
      await waitForState(contactId, 'completed');
      await allFiredAndRead();
      expect(sentTo(contactId).map((m) => m.stepIndex)).toEqual(expectedSteps);
    },
  );

  it('a step due outside the send window waits for its next opening', async () => {
    clock.set(new Date('2026-03-07T10:00:00Z')); // Saturday
    await enroll('weekend', {
      sendWindow: { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 },
      steps: [{ delayMinutes: 0, channel: 'email', content: 'see you on Monday' }],
    });
    const deferred = await waitUntil('the weekend step deferred', async () => {
      const rows: Array<{ next_step_due_at: Date }> = await env.db.query(
        `SELECT next_step_due_at FROM enrollments WHERE contact_id = 'weekend' AND next_step_due_at > $1`,
        [clock.now()],
      );
      return rows[0];
    });
    expect(new Date(deferred.next_step_due_at).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    await allFiredAndRead();
    expect(sentTo('weekend')).toEqual([]);

    clock.set(new Date('2026-03-09T09:00:00Z'));
    const [sent] = await waitForSent('weekend', 1);
    expect(new Date(sent!.emittedAt).toISOString()).toBe('2026-03-09T09:00:00.000Z');
  });
});
