import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { resumeCommand, type OutboundMessageCommand } from '../../libs/contracts/src';
import { EnrollmentsRepository } from '../../libs/persistence/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';

/** An hour: any step sent within the test's seconds was woken by the fast path, not found by a poll. */
const NO_POLL = { STEP_RUNNER_POLL_MS: '3600000' };

describe('the fast path: a step due when its enrollment commits is fired without waiting for a poll', () => {
  const env = useTestEnvironment();

  beforeAll(async () => {
    await env.start(enrollmentRole);
    // Two runners, both woken by every notification: the claim still fires each step once.
    await env.start(stepRunnerRole, { config: NO_POLL });
    await env.start(stepRunnerRole, { config: NO_POLL });
  });

  it('a zero-delay first step goes out at once, once per enrollment, with two runners that never poll', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [
        { delayMinutes: 0, channel: 'sms', content: 'right away' },
        { delayMinutes: 60, channel: 'sms', content: 'later' },
      ],
    });
    const sms = await env.collect<OutboundMessageCommand>(env.topics.outbound.sms);
    const contacts = Array.from({ length: 50 }, (_, i) => `fast-${i}`);
    await env.sendCommands(
      contacts.map((contactId) =>
        enrollCommand({ accountId: account.id, contactId, sequenceId: sequence.id }),
      ),
    );
    const sent = await sms.waitFor(50, 20_000);
    await env.drained([enrollmentRole]);
    await sms.caughtUp();
    expect(new Set(sent.map((m) => m.value.contactId))).toEqual(new Set(contacts));
    expect(sms.messages).toHaveLength(50); // none twice
    expect(new Set(sms.messages.map((m) => m.value.stepIndex))).toEqual(new Set([0]));
  });

  it('a resume with send-now fires the overdue step without waiting for a poll', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 30, channel: 'email', content: 'hello' }],
      resumePolicy: 'send_now',
    });
    const email = await env.collect<OutboundMessageCommand>(env.topics.outbound.email);
    // An enrollment paused an hour ago whose step fell due while it was paused.
    const id = randomUUID();
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await new EnrollmentsRepository(env.db).insertEnrollments(env.db.manager, [
      {
        id,
        accountId: account.id,
        sequenceId: sequence.id,
        sequenceVersion: sequence.version,
        contactId: 'paula',
        targetType: 'contact',
        targetId: 'paula',
        method: 'api',
        requestId: `paused-${id}`,
        nextStepDueAt: new Date(anHourAgo.getTime() + 30 * 60_000),
        createdAt: anHourAgo,
      },
    ]);
    await env.db.query(`UPDATE enrollments SET state = 'paused' WHERE id = $1`, [id]);
    await env.sendCommands([
      resumeCommand({
        accountId: account.id,
        contactId: 'paula',
        enrollmentId: id,
        commandId: randomUUID(),
        requestedAt: Date.now(),
      }),
    ]);
    const [sent] = await email.waitFor(1, 20_000);
    expect(sent?.value).toMatchObject({ enrollmentId: id, stepIndex: 0 });
  });
});
