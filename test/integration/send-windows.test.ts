import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { FireDueStepsUseCase } from '../../apps/step-runner/src/fire-due-steps.usecase';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { StepTimerWorker } from '../../apps/step-runner/src/step-timer.worker';
import { pauseCommand, resumeCommand, type OutboundMessageCommand } from '../../libs/contracts/src';
import { ManualClock, type SequenceDefinition } from '../../libs/domain/src';
import { createAccount, createPublishedSequence, enrollCommand, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { scrapeMetrics, sumOf } from '../support/metrics';
import type { TopicCollector } from '../support/test-environment';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const MINUTE = 60_000;
type Sent = OutboundMessageCommand & { topic: string };
type Definition = Partial<SequenceDefinition> & Pick<SequenceDefinition, 'steps'>;

describe('send windows that cannot stall: overnight windows, zones checked when set, bad rows parked alone', () => {
  const env = useTestEnvironment();
  // Wednesday 4 March 2026, 17:00 UTC: 14:00 in São Paulo (UTC−3 all year since 2019).
  const clock = new ManualClock(new Date('2026-03-04T17:00:00Z'));
  const collectors: Array<[string, TopicCollector<OutboundMessageCommand>]> = [];
  let stepRunner: INestApplication;
  let stepTimer: StepTimerWorker;
  let api: INestApplication;
  /** Every pass the step-runner ran that threw (none may). */
  const failedPasses: unknown[] = [];

  beforeAll(async () => {
    for (const topic of Object.values(env.topics.outbound))
      collectors.push([topic, await env.collect(topic)]);
    await env.start(enrollmentRole, { clock });
    api = await env.start(apiRole, { clock });
    stepRunner = await env.start(stepRunnerRole, { clock });
    stepTimer = stepRunner.get(StepTimerWorker);
    // Watch every pass, the background poller's included: a pass that throws is recorded, then rethrown.
    const useCase = stepRunner.get(FireDueStepsUseCase);
    const execute = useCase.execute.bind(useCase);
    jest.spyOn(useCase, 'execute').mockImplementation(async (limit) => {
      try {
        return await execute(limit);
      } catch (error) {
        failedPasses.push(error);
        throw error;
      }
    });
  });

  const sentTo = (contactId: string): Sent[] =>
    collectors
      .flatMap(([topic, collector]) => collector.messages.map((m) => ({ ...m.value, topic })))
      .filter((m) => m.contactId === contactId);

  const waitForSent = (contactId: string, count: number) =>
    waitUntil(
      `${count} command(s) sent to ${contactId}`,
      () => sentTo(contactId),
      (sent) => sent.length >= count,
    );

  /** The step-runner finishes its pass in flight and makes one more; then everything sent has been read. */
  const allFiredAndRead = async () => {
    await stepTimer.tick();
    await Promise.all(collectors.map(([, collector]) => collector.caughtUp()));
  };

  interface EnrollmentRow {
    id: string;
    state: string;
    next_step_due_at: Date | null;
    parked_reason: string | null;
    /** The transaction that last wrote the row: two rows with one xmin were written by one pass. */
    xmin: string;
  }
  const enrollmentOf = async (accountId: string, contactId: string): Promise<EnrollmentRow | undefined> => {
    const rows: EnrollmentRow[] = await env.db.query(
      `SELECT id, state, next_step_due_at, parked_reason, xmin::text AS xmin FROM enrollments
        WHERE account_id = $1 AND contact_id = $2`,
      [accountId, contactId],
    );
    return rows[0];
  };

  const historyOf = async (enrollmentId: string) =>
    env.db.query<Array<{ cause: string; details: Record<string, string> }>>(
      `SELECT cause, details FROM enrollment_history WHERE enrollment_id = $1 ORDER BY id`,
      [enrollmentId],
    );

  /** Enrolls the contact (decided by the enrollment app) and returns its enrollment once it exists. */
  async function enroll(accountId: string, contactId: string, definition: Definition) {
    const sequence = await createPublishedSequence(env.db, accountId, definition);
    await env.sendCommands([
      enrollCommand({ accountId, contactId, sequenceId: sequence.id, requestedAt: clock.now().getTime() }),
    ]);
    // Whatever its state by then: a step due at once may already have completed it.
    return waitUntil(`the enrollment of ${contactId} created`, () => enrollmentOf(accountId, contactId));
  }

  const transition = (kind: 'pause' | 'resume', accountId: string, contactId: string, enrollmentId: string) =>
    env.sendCommands([
      (kind === 'pause' ? pauseCommand : resumeCommand)({
        commandId: randomUUID(),
        accountId,
        contactId,
        enrollmentId,
        requestedAt: clock.now().getTime(),
      }),
    ]);

  describe('an overnight window (22:00 → 06:00 on weeknights, São Paulo time)', () => {
    const overnight: Definition = {
      sendWindow: { days: [1, 2, 3, 4, 5], startHour: 22, endHour: 6 },
      steps: [{ delayMinutes: 0, channel: 'sms', content: 'good evening' }],
    };
    let accountId: string;

    beforeAll(async () => {
      accountId = (await createAccount(env.db, { timeZone: 'America/Sao_Paulo' })).id;
    });

    it('defers a step due at 14:00 local to 22:00 local, and sends it then', async () => {
      const { id } = await enroll(accountId, 'afternoon', overnight);
      const deferred = await waitUntil('the afternoon step deferred past now', async () => {
        const row = await enrollmentOf(accountId, 'afternoon');
        return row?.next_step_due_at && row.next_step_due_at > clock.now() ? row : undefined;
      });
      expect(deferred.next_step_due_at?.toISOString()).toBe('2026-03-05T01:00:00.000Z'); // 22:00 in São Paulo
      expect((await historyOf(id)).map((h) => h.cause)).toEqual(['enrolled:api', 'deferred_to_send_window']);
      await allFiredAndRead();
      expect(sentTo('afternoon')).toEqual([]);

      clock.set(new Date('2026-03-05T01:00:00Z'));
      const [sent] = await waitForSent('afternoon', 1);
      expect(new Date(sent?.emittedAt ?? 0).toISOString()).toBe('2026-03-05T01:00:00.000Z');
    });

    it('sends a step due at 02:00 local at once: that stretch opened the evening before', async () => {
      clock.set(new Date('2026-03-05T05:00:00Z')); // Thursday 02:00 in São Paulo
      const { id } = await enroll(accountId, 'small-hours', overnight);
      const [sent] = await waitForSent('small-hours', 1);
      expect(new Date(sent?.emittedAt ?? 0).toISOString()).toBe('2026-03-05T05:00:00.000Z');
      // The command is on the broker before the step-runner's transaction commits: wait for the commit.
      const history = await waitUntil(
        'the sent step committed',
        () => historyOf(id),
        (rows) => rows.length >= 3,
      );
      expect(history.map((h) => h.cause)).toEqual(['enrolled:api', 'step_sent', 'last_step_sent']);
    });
  });

  describe('a tenant whose stored time zone is bad, beside a tenant whose zone is good', () => {
    // Open all day, so that only the zone decides: the window is there because it makes the zone matter.
    const allDay: Definition = {
      sendWindow: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 },
      steps: [{ delayMinutes: 10, channel: 'whatsapp', content: 'hello' }],
    };
    let bad: { accountId: string; enrollmentId: string };
    let good: { accountId: string; enrollmentId: string };

    beforeAll(async () => {
      const badAccount = (await createAccount(env.db, { timeZone: 'UTC' })).id;
      const goodAccount = (await createAccount(env.db, { timeZone: 'Europe/Berlin' })).id;
      // Written as a row written before zones were checked would be: past the repository's validation.
      await env.db.query(`UPDATE accounts SET time_zone = 'Mars/Olympus' WHERE id = $1`, [badAccount]);
      // The bad tenant's step falls due a minute before the good one's, so every pass claims it first.
      const badEnrollment = await enroll(badAccount, 'on-mars', allDay);
      clock.advance(MINUTE);
      const goodEnrollment = await enroll(goodAccount, 'in-berlin', allDay);
      expect([badEnrollment.state, goodEnrollment.state]).toEqual(['active', 'active']);
      bad = { accountId: badAccount, enrollmentId: badEnrollment.id };
      good = { accountId: goodAccount, enrollmentId: goodEnrollment.id };
    });

    it('sends the good tenant’s step and parks the bad one in the same pass, and no pass fails', async () => {
      clock.advance(10 * MINUTE); // both steps fall due at once, the bad one first
      const [sent] = await waitForSent('in-berlin', 1);
      expect(sent).toMatchObject({
        topic: env.topics.outbound.whatsapp,
        commandId: `${good.enrollmentId}:0`,
      });

      // The command is on the broker before the step-runner's transaction commits: wait for the commit.
      const fired = await waitUntil(
        'the pass that sent it committed',
        () => enrollmentOf(good.accountId, 'in-berlin'),
        (row) => row?.state === 'completed',
      );
      const parked = await enrollmentOf(bad.accountId, 'on-mars');
      expect(parked).toMatchObject({
        state: 'active',
        next_step_due_at: null,
        parked_reason: 'invalid_time_zone',
      });
      expect(fired).toMatchObject({ state: 'completed' });
      expect(parked?.xmin).toBe(fired?.xmin); // one transaction wrote both: one pass
      await allFiredAndRead();
      expect(sentTo('on-mars')).toEqual([]);
      expect(failedPasses).toEqual([]);
      expect(stepTimer.status()).toEqual({ ok: true });
      expect(
        sumOf(await scrapeMetrics(stepRunner), 'cadence_steps_parked_total', { reason: 'invalid_time_zone' }),
      ).toBe(1);
    });

    it('shows the parked reason on the enrollment view and in its history, through the API', async () => {
      const http = new HttpClient(api, await issueApiKey(env.db, bad.accountId));
      const { status, body } = await http.get<{
        state: string;
        nextStepDueAt: string | null;
        parkedReason: string | null;
        history: Array<{ cause: string; stepIndex: number | null; details: Record<string, string> }>;
      }>(`/v1/enrollments/${bad.enrollmentId}`);

      expect(status).toBe(200);
      expect(body).toMatchObject({ state: 'active', nextStepDueAt: null, parkedReason: 'invalid_time_zone' });
      expect(body.history.map((h) => h.cause)).toEqual(['enrolled:api', 'step_parked']);
      expect(body.history[1]).toMatchObject({
        stepIndex: 0,
        details: { reason: 'invalid_time_zone', detail: expect.stringContaining('"Mars/Olympus"') },
      });
    });

    it('sends the parked step once the zone is fixed and the enrollment is paused and resumed', async () => {
      await env.db.query(`UPDATE accounts SET time_zone = 'America/Sao_Paulo' WHERE id = $1`, [
        bad.accountId,
      ]);
      await transition('pause', bad.accountId, 'on-mars', bad.enrollmentId);
      await waitUntil(
        'the parked enrollment paused',
        () => enrollmentOf(bad.accountId, 'on-mars'),
        (row) => row?.state === 'paused',
      );
      await transition('resume', bad.accountId, 'on-mars', bad.enrollmentId);

      const [sent] = await waitForSent('on-mars', 1);
      expect(sent).toMatchObject({ commandId: `${bad.enrollmentId}:0`, content: 'hello' });
      await waitUntil(
        'the unparked enrollment completed',
        () => enrollmentOf(bad.accountId, 'on-mars'),
        (row) => row?.state === 'completed',
      );
      expect(await enrollmentOf(bad.accountId, 'on-mars')).toMatchObject({ parked_reason: null });
      expect((await historyOf(bad.enrollmentId)).map((h) => h.cause)).toEqual([
        'enrolled:api',
        'step_parked',
        'paused',
        'resumed:unparked',
        'step_sent',
        'last_step_sent',
      ]);
      expect(failedPasses).toEqual([]);
    });
  });

  describe('time zones checked where they are set', () => {
    it('refuses to create an account with a zone Intl does not know, naming it, and writes nothing', async () => {
      const name = `refused-${randomUUID().slice(0, 8)}`;
      await expect(createAccount(env.db, { name, timeZone: 'Mars/Olympus' })).rejects.toThrow(
        'time zone "Mars/Olympus" is not an IANA time zone',
      );
      const rows: Array<{ count: number }> = await env.db.query(
        `SELECT count(*)::int AS count FROM accounts WHERE name = $1`,
        [name],
      );
      expect(rows[0]?.count).toBe(0);
    });

    it('has npm run account:create refuse the zone before connecting, naming it, with exit code 1', async () => {
      const name = `refused-by-script-${randomUUID().slice(0, 8)}`;
      const child = spawn(
        process.execPath,
        ['-r', 'tsconfig-paths/register', 'dist/scripts/create-account.js', name, '--time-zone=Mars/Olympus'],
        {
          env: { ...process.env, ...env.settings, TS_NODE_BASEURL: './dist' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

      expect(code).toBe(1);
      expect(output).toContain('time zone "Mars/Olympus" is not an IANA time zone');
      const rows: Array<{ count: number }> = await env.db.query(
        `SELECT count(*)::int AS count FROM accounts WHERE name = $1`,
        [name],
      );
      expect(rows[0]?.count).toBe(0);
    });
  });

  describe("the account's default send window (set through PATCH /v1/account)", () => {
    it('holds back the steps of a sequence without a window until it opens; a sequence window still wins', async () => {
      clock.set(new Date('2026-03-11T17:00:00Z')); // Wednesday 14:00 in São Paulo
      const accountId = (await createAccount(env.db, { timeZone: 'America/Sao_Paulo' })).id;
      const http = new HttpClient(api, await issueApiKey(env.db, accountId));
      const window = { days: [1, 2, 3, 4, 5], startHour: 22, endHour: 6 };
      expect((await http.patch('/v1/account', { sendWindow: window })).status).toBe(200);
      const once: Definition = { steps: [{ delayMinutes: 0, channel: 'sms', content: 'default window' }] };

      const { id } = await enroll(accountId, 'by-default', once);
      const deferred = await waitUntil('the step deferred to the account window', async () => {
        const row = await enrollmentOf(accountId, 'by-default');
        return row?.next_step_due_at && row.next_step_due_at > clock.now() ? row : undefined;
      });
      expect(deferred.next_step_due_at?.toISOString()).toBe('2026-03-12T01:00:00.000Z'); // 22:00 in São Paulo
      expect((await historyOf(id)).map((h) => h.cause)).toEqual(['enrolled:api', 'deferred_to_send_window']);

      await enroll(accountId, 'own-window', {
        ...once,
        sendWindow: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 },
      });
      await waitForSent('own-window', 1);
      await allFiredAndRead();
      expect(sentTo('by-default')).toEqual([]);

      clock.set(new Date('2026-03-12T01:00:00Z'));
      const [sent] = await waitForSent('by-default', 1);
      expect(new Date(sent?.emittedAt ?? 0).toISOString()).toBe('2026-03-12T01:00:00.000Z');
    });
  });
});
