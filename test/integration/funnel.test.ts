import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { StepTimerWorker } from '../../apps/step-runner/src/step-timer.worker';
import { exitCommand } from '../../libs/contracts/src';
import { ManualClock } from '../../libs/domain/src';
import { createAccount, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const MINUTE = 60_000;

interface Funnel {
  sequenceId: string;
  version: number;
  entered: number;
  active: number;
  paused: number;
  completed: number;
  exited: Record<string, number>;
  cancelled: number;
  steps: Array<{
    index: number;
    name: string | null;
    channel: string;
    entered: number;
    sent: number;
    pausedHere: number;
    exited: Record<string, number>;
    completedAfter: number;
  }>;
}

describe('the funnel of a sequence version counts a real run (API → Kafka → enrollment app → step-runner)', () => {
  const env = useTestEnvironment();
  const clock = new ManualClock(new Date('2026-03-04T10:00:00Z'));
  let http: HttpClient;
  let accountId: string;
  let stepTimer: StepTimerWorker;

  beforeAll(async () => {
    await env.start(enrollmentRole, { clock });
    stepTimer = (await env.start(stepRunnerRole, { clock })).get(StepTimerWorker);
    const api = await env.start(apiRole, { clock });
    accountId = (await createAccount(env.db)).id;
    http = new HttpClient(api, await issueApiKey(env.db, accountId));
  });

  const enrollments = async (sequenceId: string) =>
    env.db.query<Array<{ id: string; contact_id: string; state: string; next_step_index: number }>>(
      `SELECT id, contact_id, state, next_step_index FROM enrollments WHERE sequence_id = $1`,
      [sequenceId],
    );
  const waitForEnrollments = (
    sequenceId: string,
    what: string,
    done: (rows: Awaited<ReturnType<typeof enrollments>>) => boolean,
  ) => waitUntil(what, () => enrollments(sequenceId), done, { timeoutMs: 30_000 });

  it('enters 10, sends step by step, exits 3 on a reply, pauses 1, cancels 1, completes 5: the funnel says so', async () => {
    const created = await http.post<{ id: string }>('/v1/sequences', {
      name: 'Funnel',
      definition: {
        targetType: 'contact',
        exitRules: ['replied'],
        steps: [
          { delayMinutes: 0, channel: 'whatsapp', content: 'one' },
          { delayMinutes: 60, channel: 'email', content: 'two' },
          { delayMinutes: 60, channel: 'sms', template: { name: 'nudge', variables: {} } },
        ],
      },
    });
    const sequenceId = created.body.id;
    await http.post(`/v1/sequences/${sequenceId}/publish`);
    await http.post(`/v1/sequences/${sequenceId}/activate`);
    const contacts = Array.from({ length: 10 }, (_, i) => `c-${i}`);
    for (const contactId of contacts) {
      expect((await http.post('/v1/enrollments', { sequenceId, contactId })).status).toBe(202);
    }
    await waitForEnrollments(sequenceId, '10 active enrollments', (rows) => rows.length === 10);
    await stepTimer.tick();
    await waitForEnrollments(sequenceId, 'step 0 sent to all', (rows) =>
      rows.every((r) => r.next_step_index === 1),
    );

    // Three reply (exit), one is paused, one cancelled, all while waiting for step 1.
    await env.sendCommands(
      contacts.slice(0, 3).map((contactId) =>
        exitCommand({
          commandId: `exit-${contactId}`,
          accountId,
          contactId,
          requestedAt: clock.now().getTime(),
          rule: 'replied',
        }),
      ),
    );
    const byContact = new Map((await enrollments(sequenceId)).map((r) => [r.contact_id, r.id]));
    expect((await http.post(`/v1/enrollments/${byContact.get('c-3')}/pause`)).status).toBe(202);
    expect((await http.post(`/v1/enrollments/${byContact.get('c-4')}/cancel`)).status).toBe(202);
    await waitForEnrollments(
      sequenceId,
      '3 exited, 1 paused, 1 cancelled',
      (rows) =>
        rows.filter((r) => r.state === 'exited').length === 3 &&
        rows.some((r) => r.state === 'paused') &&
        rows.some((r) => r.state === 'cancelled'),
    );

    const midway = await http.get<Funnel>(`/v1/sequences/${sequenceId}/funnel`);
    expect(midway.body).toMatchObject({
      entered: 10,
      active: 5,
      paused: 1,
      exited: { replied: 3 },
      cancelled: 1,
    });

    clock.advance(60 * MINUTE);
    await stepTimer.tick();
    await waitForEnrollments(sequenceId, 'step 1 sent to the 5 active', (rows) =>
      rows.filter((r) => r.state === 'active').every((r) => r.next_step_index === 2),
    );
    clock.advance(60 * MINUTE);
    await stepTimer.tick();
    await waitForEnrollments(
      sequenceId,
      '5 completed',
      (rows) => rows.filter((r) => r.state === 'completed').length === 5,
    );

    const funnel = await http.get<Funnel>(`/v1/sequences/${sequenceId}/funnel`);
    expect(funnel.status).toBe(200);
    expect(funnel.body).toEqual({
      sequenceId,
      version: 1,
      entered: 10,
      active: 0,
      paused: 1,
      completed: 5,
      exited: { replied: 3 },
      cancelled: 1,
      steps: [
        {
          index: 0,
          name: null,
          channel: 'whatsapp',
          entered: 10,
          sent: 10,
          pausedHere: 0,
          exited: {},
          completedAfter: 0,
        },
        {
          index: 1,
          name: null,
          channel: 'email',
          entered: 10,
          sent: 5,
          pausedHere: 1,
          exited: { replied: 3 },
          completedAfter: 0,
        },
        {
          index: 2,
          name: 'nudge',
          channel: 'sms',
          entered: 5,
          sent: 5,
          pausedHere: 0,
          exited: {},
          completedAfter: 5,
        },
      ],
    });

    // The projection agrees with the enrollments themselves and with the history of sent steps.
    const states = await env.db.query<Array<{ state: string; n: string }>>(
      `SELECT state, count(*) AS n FROM enrollments WHERE sequence_id = $1 GROUP BY state`,
      [sequenceId],
    );
    expect(Object.fromEntries(states.map((s) => [s.state, Number(s.n)]))).toEqual({
      completed: 5,
      exited: 3,
      paused: 1,
      cancelled: 1,
    });
    const sent = await env.db.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM enrollment_history h JOIN enrollments e ON e.id = h.enrollment_id
        WHERE e.sequence_id = $1 AND h.cause = 'step_sent'`,
      [sequenceId],
    );
    expect(Number(sent[0]?.n)).toBe(funnel.body.steps.reduce((total, step) => total + step.sent, 0));

    // A resume moves the paused one back to active at its step; an explicit version reads the same counters.
    expect((await http.post(`/v1/enrollments/${byContact.get('c-3')}/resume`)).status).toBe(202);
    await waitForEnrollments(
      sequenceId,
      'the paused one resumed',
      (rows) => !rows.some((r) => r.state === 'paused'),
    );
    const resumed = await http.get<Funnel>(`/v1/sequences/${sequenceId}/funnel?version=1`);
    expect(resumed.body).toMatchObject({ active: 1, paused: 0 });
    expect(resumed.body.steps[1]).toMatchObject({ pausedHere: 0, entered: 10 });
  });

  it("answers 404 for another account's sequence, a version never published, or a sequence never published", async () => {
    const draft = await http.post<{ id: string }>('/v1/sequences', {
      name: 'Draft only',
      definition: { targetType: 'contact', steps: [{ delayMinutes: 0, channel: 'sms', content: 'x' }] },
    });
    expect((await http.get(`/v1/sequences/${draft.body.id}/funnel`)).status).toBe(404);
    await http.post(`/v1/sequences/${draft.body.id}/publish`);
    expect((await http.get(`/v1/sequences/${draft.body.id}/funnel?version=2`)).status).toBe(404);
    const empty = await http.get<Funnel>(`/v1/sequences/${draft.body.id}/funnel`);
    expect(empty.body).toMatchObject({ version: 1, entered: 0, steps: [{ index: 0, sent: 0 }] });
    const other = http.withKey(await issueApiKey(env.db, (await createAccount(env.db)).id));
    expect((await other.get(`/v1/sequences/${draft.body.id}/funnel`)).status).toBe(404);
    expect(
      (await http.get<{ errors: unknown[] }>(`/v1/sequences/${draft.body.id}/funnel?version=x`)).status,
    ).toBe(400);
  });
});
