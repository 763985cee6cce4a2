import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { type EnrollmentCommand } from '../../libs/contracts/src';
import { terminateBackends } from '../../scripts/chaos/database-faults';
import { checkInvariants, countDecided } from '../../scripts/chaos/invariants';
import { buildWorkload, type Workload } from '../../scripts/chaos/workload';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { expectNothingLostOrDoubled } from '../support/invariants';
import type { TestEnvironment } from '../support/test-environment';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

/** Smaller versions of `npm run chaos`'s faults, on the single broker: rebalances and lost connections. */
describe('failures that lose nothing', () => {
  // One environment per test: each checks the invariants over its whole database.
  const rebalanceEnv = useTestEnvironment({ CONSUMER_SESSION_TIMEOUT_MS: '10000' });
  const postgresEnv = useTestEnvironment({ CONSUMER_SESSION_TIMEOUT_MS: '10000' });

  async function world(
    env: TestEnvironment,
    steps: Parameters<typeof createPublishedSequence>[2]['steps'],
    exitShare: number,
  ) {
    const account = await createAccount(env.db);
    const sequences = await Promise.all(
      [1, 2].map(() => createPublishedSequence(env.db, account.id, { steps, exitRules: ['replied'] })),
    );
    const workload = buildWorkload({
      accountId: account.id,
      sequenceIds: sequences.map((sequence) => sequence.id),
      messages: 4_000,
      duplicateShare: 0.3,
      exitShare,
    });
    const send = (commands: readonly EnrollmentCommand[]) => env.sendCommands(commands);
    const decided = () => countDecided(env.db, account.id).catch(() => 0);
    const decidedMoreThan = (count: number) =>
      waitUntil(`more than ${count} requests decided`, decided, (n) => n > count, { timeoutMs: 60_000 });
    const allDecided = (w: Workload) =>
      waitUntil(`all ${w.requestIds.length} requests decided`, decided, (n) => n >= w.requestIds.length, {
        timeoutMs: 120_000,
      });
    return { env, accountId: account.id, workload, send, decidedMoreThan, allDecided };
  }

  it('a second enrollment instance joining and leaving mid-stream (two rebalances) decides every request once', async () => {
    const { env, accountId, workload, send, decidedMoreThan, allDecided } = await world(
      rebalanceEnv,
      [{ delayMinutes: 60, channel: 'sms', content: 'x' }],
      0,
    );
    await env.start(enrollmentRole);
    const third = Math.floor(workload.enrolls.length / 3);
    await send(workload.enrolls.slice(0, third));
    await decidedMoreThan(0);
    const second = await env.start(enrollmentRole);
    await send(workload.enrolls.slice(third, 2 * third));
    await decidedMoreThan(third);
    // The second instance leaves (SIGTERM's path): its partitions go back to the first.
    env.apps.splice(env.apps.indexOf(second), 1);
    await second.close();
    await send(workload.enrolls.slice(2 * third));
    await allDecided(workload);
    const report = await checkInvariants(env.db, env.kafka, env.codec, env.topics, accountId, workload);
    expectNothingLostOrDoubled(report, workload);
  }, 240_000);

  it('every Postgres connection of the apps terminated twice mid-batch: the pools reconnect, nothing is lost, no step follows an exit', async () => {
    const { env, accountId, workload, send, decidedMoreThan, allDecided } = await world(
      postgresEnv,
      [
        { delayMinutes: 0, channel: 'whatsapp', content: 'first' },
        { delayMinutes: 1, channel: 'sms', content: 'second' },
        // Never reached in the test: no enrollment completes, so no duplicate re-enters a finished one.
        { delayMinutes: 60, channel: 'email', content: 'third' },
      ],
      0.1,
    );
    const enrollment = await env.start(enrollmentRole);
    const stepRunner = await env.start(stepRunnerRole);
    const half = Math.floor(workload.enrolls.length / 2);
    await send(workload.enrolls.slice(0, half));
    let terminated = 0;
    for (const share of [0.2, 0.6]) {
      await decidedMoreThan(share * workload.requestIds.length);
      terminated += await terminateBackends(env.config.DATABASE_URL);
      if (share === 0.2) await send(workload.enrolls.slice(half));
    }
    expect(terminated).toBeGreaterThan(0);
    await allDecided(workload);
    await send(workload.exits(Date.now()));
    // Every exit applied: the replying contacts have no live enrollment left.
    await waitUntil(
      'an exited enrollment',
      async () => {
        const [row] = await env.db
          .query<Array<{ n: number }>>(
            `SELECT count(*)::int AS n FROM enrollments WHERE account_id = $1 AND state = 'exited'`,
            [accountId],
          )
          .catch(() => [{ n: 0 }]);
        return row?.n ?? 0;
      },
      (exited) => exited > 0,
      { timeoutMs: 60_000 },
    );
    await env.drained([enrollmentRole]);
    for (const app of [enrollment, stepRunner]) {
      const client = new HttpClient(app, null);
      await waitUntil(
        'the app ready again',
        () => client.get('/health/ready'),
        (response) => response.status === 200,
      );
    }
    const report = await checkInvariants(env.db, env.kafka, env.codec, env.topics, accountId, workload);
    expectNothingLostOrDoubled(report, workload);
    expect(report).toMatchObject({ conflictingCommands: 0, stepsAfterExit: 0 });
    expect(report.outboundCommands).toBeGreaterThan(0);
  }, 240_000);
});
