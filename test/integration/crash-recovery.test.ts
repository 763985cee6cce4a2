import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { type EnrollmentCommand, type EnrollmentLifecycleEvent } from '../../libs/contracts/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { RoleProcess } from '../support/role-process';
import type { TestEnvironment } from '../support/test-environment';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const REQUESTS = 20_000;
const CONTACTS = 4_000;

/** The same stream for both runs: 2 sequences × 4,000 contacts, duplicates, and per-contact idempotency keys. */
function stream(accountId: string, sequenceIds: [string, string]): EnrollmentCommand[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const contactId = `c-${i % CONTACTS}`;
    return enrollCommand({
      commandId: `r-${i}`,
      accountId,
      contactId,
      sequenceId: sequenceIds[Math.floor(i / CONTACTS) % 2]!,
      idempotencyKey: i % 7 === 0 ? `${contactId}-k` : null,
      method: 'api',
    });
  });
}

async function world(env: TestEnvironment): Promise<EnrollmentCommand[]> {
  const account = await createAccount(env.db);
  const steps = [{ delayMinutes: 60, channel: 'sms' as const, content: 'hello' }];
  const a = await createPublishedSequence(env.db, account.id, { steps });
  const b = await createPublishedSequence(env.db, account.id, { steps });
  return stream(account.id, [a.id, b.id]);
}

async function produce(env: TestEnvironment, commands: EnrollmentCommand[]): Promise<void> {
  for (let i = 0; i < commands.length; i += 2_000) {
    await env.sendCommands(commands.slice(i, i + 2_000));
  }
}

const countDecisions = async (env: TestEnvironment): Promise<number> =>
  Number((await env.db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM enrollment_decisions`))[0]!.n);

async function finalState(env: TestEnvironment) {
  await waitUntil(
    `${REQUESTS} requests decided`,
    () => countDecisions(env),
    (decided) => decided >= REQUESTS,
    { timeoutMs: 120_000 },
  );
  // Barrier: the enrollment group has committed the whole stream (redeliveries included), so nothing is still
  // being written when the state is read.
  await env.drained([enrollmentRole], { timeoutMs: 120_000 });
  const decisions: Array<{ request_id: string; reason: string }> = await env.db.query(
    `SELECT request_id, reason FROM enrollment_decisions ORDER BY request_id`,
  );
  const enrollments: Array<{ request_id: string; state: string }> = await env.db.query(
    `SELECT request_id, state FROM enrollments ORDER BY request_id`,
  );
  const livePerKey: Array<{ n: string }> = await env.db.query(
    `SELECT count(*) AS n FROM enrollments WHERE state IN ('active','paused')
      GROUP BY sequence_id, contact_id, target_type, target_id HAVING count(*) > 1`,
  );
  return {
    decisions: decisions.map((d) => `${d.request_id}:${d.reason}`),
    enrollments: enrollments.map((e) => `${e.request_id}:${e.state}`),
    keysWithTwoLive: livePerKey.length,
  };
}

describe('a crash of the enrollment process loses nothing and doubles nothing', () => {
  const interruptedEnv = useTestEnvironment();
  const referenceEnv = useTestEnvironment();
  const redeliveryEnv = useTestEnvironment();

  it('SIGKILL in the middle of a 20,000-request stream, then a restart, ends as an uninterrupted run', async () => {
    const interrupted = { env: interruptedEnv, commands: await world(interruptedEnv) };
    const reference = { env: referenceEnv, commands: await world(referenceEnv) };

    // Interrupted run: the enrollment app as its own process, killed without warning mid-stream.
    await produce(interrupted.env, interrupted.commands);
    const first = RoleProcess.start('enrollment', interrupted.env.settings);
    const decidedAtKill = await waitUntil(
      '500 requests decided before the kill',
      () => countDecisions(interrupted.env),
      (decided) => decided >= 500,
      { timeoutMs: 60_000 },
    );
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const afterKill = await countDecisions(interrupted.env);
    expect(decidedAtKill).toBeLessThan(REQUESTS);
    expect(afterKill).toBeLessThan(REQUESTS);

    const second = RoleProcess.start('enrollment', interrupted.env.settings);
    const recovered = await finalState(interrupted.env);
    // A graceful stop afterwards: SIGTERM finishes in-flight work and exits cleanly.
    second.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.log).toMatch(/"msg":"stopped"/);

    // Reference run: the same stream, never interrupted.
    await produce(reference.env, reference.commands);
    await reference.env.start(enrollmentRole);
    const expected = await finalState(reference.env);

    expect(recovered.decisions).toHaveLength(REQUESTS);
    expect(recovered.keysWithTwoLive).toBe(0);
    expect(recovered.enrollments).toHaveLength(2 * CONTACTS);
    expect(recovered.decisions).toEqual(expected.decisions);
    expect(recovered.enrollments).toEqual(expected.enrollments);
    console.log(`killed with ${afterKill} of ${REQUESTS} decided; recovered to the reference state`);
  });

  it('a request that arrives again after its decision keeps that decision and republishes the same event', async () => {
    const env = redeliveryEnv;
    await world(env);
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'hello' }],
    });
    const lifecycle = await env.collect<EnrollmentLifecycleEvent>(env.topics.enrollmentLifecycle);
    await env.start(enrollmentRole);
    const first = enrollCommand({ accountId: account.id, contactId: 'c-1', sequenceId: sequence.id });
    await produce(env, [first]);
    await lifecycle.waitFor(1);

    // The same request again (a redelivery, a re-emitted command), in one batch with a new request for the
    // same contact and sequence: the first keeps its decision, the new one is a duplicate of its enrollment.
    const later = enrollCommand({ accountId: account.id, contactId: 'c-1', sequenceId: sequence.id });
    await produce(env, [first, later]);
    const events = await lifecycle.waitFor(3);

    const decisions: Array<{ request_id: string; reason: string; related_id: string | null }> =
      await env.db.query(
        `SELECT request_id, reason, related_id FROM enrollment_decisions WHERE account_id = $1 ORDER BY decided_at`,
        [account.id],
      );
    const enrollments: Array<{ id: string; request_id: string }> = await env.db.query(
      `SELECT id, request_id FROM enrollments WHERE account_id = $1`,
      [account.id],
    );
    expect(enrollments).toEqual([{ id: expect.any(String), request_id: first.commandId }]);
    expect(decisions).toEqual([
      { request_id: first.commandId, reason: 'enrolled', related_id: null },
      { request_id: later.commandId, reason: 'duplicate', related_id: enrollments[0]!.id },
    ]);
    expect(events.map((e) => [e.value.id, e.value.type, e.value.enrollmentId])).toEqual([
      [`${account.id}:${first.commandId}:decision`, 'started', enrollments[0]!.id],
      [`${account.id}:${first.commandId}:decision`, 'started', enrollments[0]!.id],
      [`${account.id}:${later.commandId}:decision`, 'ignored', null],
    ]);
  });
});
