import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import { StepTimerWorker } from '../../apps/step-runner/src/step-timer.worker';
import { exitCommand, type OutboundMessageCommand } from '../../libs/contracts/src';
import type { SequenceDefinition } from '../../libs/domain/src';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import type { TestEnvironment } from '../support/test-environment';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

/** Enrollments straight into the table, all due now (what a backlog looks like to the step-runner). */
async function seedDueEnrollments(
  env: TestEnvironment,
  count: number,
  definition: Partial<SequenceDefinition> & Pick<SequenceDefinition, 'steps'>,
): Promise<{ accountId: string; sequenceId: string }> {
  const account = await createAccount(env.db);
  const sequence = await createPublishedSequence(env.db, account.id, definition);
  await env.db.query(
    `INSERT INTO enrollments (id, account_id, sequence_id, sequence_version, contact_id, target_type, target_id,
                              method, state, next_step_index, next_step_due_at, request_id, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, 1, 'c-' || n, 'contact', 'c-' || n, 'api', 'active', 0,
            now() - interval '1 second', 'seed-' || n, now() - interval '1 minute', now()
       FROM generate_series(1, $3) AS n`,
    [account.id, sequence.id, count],
  );
  return { accountId: account.id, sequenceId: sequence.id };
}

const SETTINGS = { STEP_RUNNER_BATCH_SIZE: '200', STEP_RUNNER_POLL_MS: '50' };

const countIn = async (env: TestEnvironment, states: string[]): Promise<number> =>
  (
    await env.db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM enrollments WHERE state = ANY($1)`,
      [states],
    )
  )[0]!.n;

/** Barrier: each step-runner finishes its pass in flight and makes one more (which finds nothing due). */
const passesSettled = (runners: INestApplication[]) =>
  Promise.all(runners.map((runner) => runner.get(StepTimerWorker).tick()));

// One environment per test (each describe has its own): both count every enrollment of their database.
describe('step-runner under concurrency: two instances', () => {
  const env = useTestEnvironment(SETTINGS);

  it('two instances over 5,000 due steps emit each command exactly once', async () => {
    await seedDueEnrollments(env, 5_000, { steps: [{ delayMinutes: 0, channel: 'sms', content: 'once' }] });
    const sms = await env.collect<OutboundMessageCommand>(env.topics.outbound.sms);
    const runners = await Promise.all([env.start(stepRunnerRole), env.start(stepRunnerRole)]);

    await sms.waitFor(5_000, 90_000);
    await waitUntil(
      '5,000 enrollments completed',
      () => countIn(env, ['completed']),
      (completed) => completed === 5_000,
      { timeoutMs: 60_000 },
    );
    // Barrier: no pass is in flight any more, and the collector has read every command they sent.
    await passesSettled(runners);
    await sms.caughtUp();

    const ids = sms.messages.map((m) => m.value.commandId);
    expect(ids).toHaveLength(5_000);
    expect(new Set(ids).size).toBe(5_000);
    const sentTwice: unknown[] = await env.db.query(
      `SELECT enrollment_id FROM enrollment_history WHERE cause = 'step_sent' GROUP BY enrollment_id HAVING count(*) <> 1`,
    );
    expect(sentTwice).toEqual([]);
  });
});

describe('step-runner under concurrency: exits racing due steps', () => {
  const env = useTestEnvironment(SETTINGS);

  it('exits and due steps for the same 1,000 enrollments at the same moment: no command after a recorded exit', async () => {
    const { accountId } = await seedDueEnrollments(env, 1_000, {
      exitRules: ['replied'],
      steps: [
        { delayMinutes: 0, channel: 'whatsapp', content: 'one' },
        { delayMinutes: 0, channel: 'whatsapp', content: 'two' },
        { delayMinutes: 0, channel: 'whatsapp', content: 'three' },
      ],
    });
    const whatsapp = await env.collect<OutboundMessageCommand>(env.topics.outbound.whatsapp);
    await env.start(enrollmentRole);
    const exits = Array.from({ length: 1_000 }, (_, i) =>
      exitCommand({
        commandId: randomUUID(),
        accountId,
        contactId: `c-${i + 1}`,
        requestedAt: Date.now(),
        rule: 'replied',
      }),
    );
    // Fire both at once: the step-runner starts claiming while the exits are being decided.
    const [runner] = await Promise.all([env.start(stepRunnerRole), env.sendCommands(exits)]);

    await waitUntil(
      '1,000 enrollments exited or completed',
      () => countIn(env, ['exited', 'completed']),
      (ended) => ended === 1_000,
      { timeoutMs: 90_000 },
    );
    // Barrier: every exit is decided, no step-runner pass is in flight, and the collector has read every
    // command sent.
    await env.drained([enrollmentRole]);
    await passesSettled([runner]);
    await whatsapp.caughtUp();

    const history: Array<{ enrollment_id: string; cause: string; step_index: number | null }> =
      await env.db.query(`SELECT enrollment_id, cause, step_index FROM enrollment_history ORDER BY id`);
    const violations: string[] = [];
    const exited = new Set<string>();
    const stepsSent = new Map<string, number>();
    for (const row of history) {
      if (row.cause === 'exit:replied') exited.add(row.enrollment_id);
      if (row.cause === 'step_sent') {
        if (exited.has(row.enrollment_id)) violations.push(row.enrollment_id);
        stepsSent.set(row.enrollment_id, (stepsSent.get(row.enrollment_id) ?? 0) + 1);
      }
    }
    expect(violations).toEqual([]);
    // Every emitted command is a committed step_sent, and nothing else went out.
    const commandsPerEnrollment = new Map<string, number>();
    for (const m of whatsapp.messages) {
      commandsPerEnrollment.set(
        m.value.enrollmentId,
        (commandsPerEnrollment.get(m.value.enrollmentId) ?? 0) + 1,
      );
    }
    expect(commandsPerEnrollment).toEqual(stepsSent);
    console.log(
      `race outcome: ${exited.size} exited, ${1_000 - exited.size} completed first, ${whatsapp.messages.length} commands`,
    );
  });
});
