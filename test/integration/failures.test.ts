import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { type EnrollmentCommand } from '../../libs/contracts/src';
import { terminateBackends } from '../../scripts/chaos/database-faults';
import { checkInvariants, countDecided } from '../../scripts/chaos/invariants';
import { buildWorkload, type Workload } from '../../scripts/chaos/workload';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { eventually, HttpClient } from '../support/http-client';
import { expectNothingLostOrDoubled } from '../support/invariants';
import { TestEnvironment } from '../support/test-environment';

/** Smaller versions of `npm run chaos`'s faults, on the single broker: rebalances and lost connections. */
describe('failures that lose nothing', () => {
  const worlds: TestEnvironment[] = [];

  afterAll(async () => {
    await Promise.all(worlds.map((env) => env.close()));
  });

  async function world(steps: Parameters<typeof createPublishedSequence>[2]['steps'], exitShare: number) {
    const env = await TestEnvironment.create({ CONSUMER_SESSION_TIMEOUT_MS: '10000' });
    worlds.push(env);
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
    const allDecided = (w: Workload) =>
      eventually(async () => ((await decided()) >= w.requestIds.length ? true : undefined), 120_000);
    return { env, accountId: account.id, workload, send, decided, allDecided };
  }

  it('a second enrollment instance joining and leaving mid-stream (two rebalances) decides every request once', async () => {
    const { env, accountId, workload, send, decided, allDecided } = await world(
      [{ delayMinutes: 60, channel: 'sms', content: 'x' }],
      0,
    );
    await env.start(enrollmentRole);
    const third = Math.floor(workload.enrolls.length / 3);
    await send(workload.enrolls.slice(0, third));
    await eventually(async () => ((await decided()) > 0 ? true : undefined), 60_000);
    const second = await env.start(enrollmentRole);
    await send(workload.enrolls.slice(third, 2 * third));
    await eventually(async () => ((await decided()) > third ? true : undefined), 60_000);
    // The second instance leaves (SIGTERM's path): its partitions go back to the first.
    env.apps.splice(env.apps.indexOf(second), 1);
    await second.close();
    await send(workload.enrolls.slice(2 * third));
    await allDecided(workload);
    const report = await checkInvariants(env.db, env.kafka, env.codec, env.topics, accountId, workload);
    expectNothingLostOrDoubled(report, workload);
  }, 240_000);

  it('every Postgres connection of the apps terminated twice mid-batch: the pools reconnect, nothing is lost, no step follows an exit', async () => {
    const { env, accountId, workload, send, decided, allDecided } = await world(
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
      await eventually(
        async () => ((await decided()) > share * workload.requestIds.length ? true : undefined),
        60_000,
      );
      terminated += await terminateBackends(env.config.DATABASE_URL);
      if (share === 0.2) await send(workload.enrolls.slice(half));
    }
    expect(terminated).toBeGreaterThan(0);
    await allDecided(workload);
    await send(workload.exits(Date.now()));
    // Every exit applied: the replying contacts have no live enrollment left.
    await eventually(async () => {
      const [row] = await env.db
        .query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM enrollments WHERE account_id = $1 AND state = 'exited'`,
          [accountId],
        )
        .catch(() => [{ n: 0 }]);
      return (row?.n ?? 0) > 0 ? true : undefined;
    }, 60_000);
    for (const app of [enrollment, stepRunner]) {
      const client = new HttpClient(app, null);
      await eventually(
        async () => ((await client.get('/health/ready')).status === 200 ? true : undefined),
        30_000,
      );
    }
    const report = await checkInvariants(env.db, env.kafka, env.codec, env.topics, accountId, workload);
    expectNothingLostOrDoubled(report, workload);
    expect(report).toMatchObject({ conflictingCommands: 0, stepsAfterExit: 0 });
    expect(report.outboundCommands).toBeGreaterThan(0);
  }, 240_000);
});
