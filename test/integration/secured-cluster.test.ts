import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type EnrollmentCommand,
  type EnrollmentCommandRecord,
  type OutboundMessageCommand,
} from '../../libs/contracts/src';
import { checkInvariants, countDecided, readTopics } from '../../scripts/chaos/invariants';
import { groupLag } from '../../libs/kafka/src';
import { buildWorkload } from '../../scripts/chaos/workload';
import { createAccount, createPublishedSequence, issueApiKey } from '../support/fixtures';
import { expectNothingLostOrDoubled } from '../support/invariants';
import { RoleProcess } from '../support/role-process';
import { SecuredCluster } from '../support/secured-cluster';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const ROLES = ['api', 'trigger-router', 'inactivity-watcher', 'enrollment', 'step-runner'] as const;
const PUBLISH_TIMEOUT_MS = 3_000;

type Health = { ready?: boolean; components?: Record<string, { ok: boolean; detail?: string }> };

/**
 * The engine on a secured, replicated cluster: three KRaft brokers, SASL_SSL (SCRAM-SHA-512 over TLS), the
 * StandardAuthorizer with prefixed ACLs for the engine's principal only, topics with replication 3 and min ISR 2.
 */
describe('the engine on the secured 3-broker cluster', () => {
  let cluster: SecuredCluster;
  let secret: string;
  const processes: RoleProcess[] = [];
  const running = new Map<string, RoleProcess>();

  beforeAll(() => {
    cluster = SecuredCluster.start();
  });

  // Declared before the environment's own afterAll, so it runs first: the roles stop before its database goes.
  afterAll(async () => {
    await Promise.all(
      processes.map(async (role) => {
        role.kill('SIGTERM');
        await role.exited;
      }),
    );
  });

  const env = useTestEnvironment(() => {
    const suffix = randomUUID().slice(0, 8);
    return {
      ...cluster.settingsFor('cadence'),
      KAFKA_TOPIC_PREFIX: `cadence.t${suffix}.`,
      CONSUMER_GROUP_PREFIX: `cadence.t${suffix}.`,
      KAFKA_PUBLISH_TIMEOUT_MS: String(PUBLISH_TIMEOUT_MS),
      CONSUMER_SESSION_TIMEOUT_MS: '10000',
    };
  });

  // jest runs afterAll hooks in declaration order: this one after the roles' and the environment's.
  afterAll(() => cluster?.stop());

  beforeAll(() => {
    secret = readFileSync(env.settings.KAFKA_SASL_PASSWORD_FILE!, 'utf8').trim();
  });

  const start = (role: string, settings: Record<string, string> = env.settings): RoleProcess => {
    const started = RoleProcess.start(role, settings);
    processes.push(started);
    return started;
  };
  const health = async (role: RoleProcess) =>
    (await role.get('/health/ready')) as { status: number; body: Health } | undefined;

  it('runs all five roles over SASL_SSL with ACLs: an HTTP enrollment becomes an outbound command', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 0, channel: 'whatsapp', content: 'hello' }],
    });
    const apiKey = await issueApiKey(env.db, account.id);
    const outbound = await env.collect<OutboundMessageCommand>(env.topics.outbound.whatsapp);
    for (const role of ROLES) running.set(role, start(role));
    for (const [role, process] of running) {
      const ready = await waitUntil(
        `${role} ready`,
        () => health(process),
        (answer) => answer?.status === 200,
        { timeoutMs: 90_000 },
      ).then(
        (answer) => answer!.body,
        (error: unknown) => {
          throw new Error(`${role} not ready: ${String(error)}\n${process.log.slice(-3000)}`);
        },
      );
      expect(ready.components?.kafka).toEqual({ ok: true, detail: '3 broker(s)' });
      expect(ready.components?.database?.ok).toBe(true);
      expect(ready.components?.['schema-registry']?.ok).toBe(true);
    }
    const api = running.get('api')!;
    const response = await fetch(`http://127.0.0.1:${api.port}/v1/enrollments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ sequenceId: sequence.id, contactId: 'contact-secure' }),
    });
    expect(response.status).toBe(202);
    const [command] = await outbound.waitFor(1, 60_000);
    expect(command!.value).toMatchObject({
      accountId: account.id,
      contactId: 'contact-secure',
      stepIndex: 0,
    });

    const described = cluster.describeTopics(env.config.KAFKA_TOPIC_PREFIX);
    expect(described).toMatch(
      new RegExp(
        `Topic: ${env.topics.enrollmentCommands}\\s.*ReplicationFactor: 3.*min\\.insync\\.replicas=2`,
      ),
    );
    for (const process of running.values()) expect(process.log).not.toContain(secret);
  });

  /** The role's readiness answer once it reports Kafka down, with a reason. */
  const kafkaReadinessFailure = async (role: RoleProcess) =>
    (await waitUntil(
      'readiness to fail on Kafka',
      () => health(role),
      (found) => found?.status === 503 && !!found.body.components?.kafka?.detail,
      { timeoutMs: 60_000 },
    ))!;

  it('a wrong password is a readable readiness failure, not a crash loop, and the password is never logged', async () => {
    const wrong = 'wrong-password-never-logged';
    const role = start('enrollment', { ...env.settings, KAFKA_SASL_PASSWORD: wrong, BOOT_RETRY_MS: '500' });
    const answer = await kafkaReadinessFailure(role);
    expect(answer.body.components!.kafka!.detail).toMatch(/authentication failed.*user "cadence"/);
    expect(answer.body.components!.database).toEqual({ ok: true });
    expect((await role.get('/health/live'))?.status).toBe(200);
    // Still alive after more attempts: it waits, it does not exit and restart.
    await waitUntil(
      'a retry logged while alive',
      async () => ({
        retries: (role.log.match(/"retryInMs"/g) ?? []).length,
        live: (await role.get('/health/live'))?.status,
      }),
      ({ retries, live }) => retries >= 1 && live === 200,
    );
    expect(role.log).toMatch(/dependencies not ready; waiting/);
    expect(role.log).not.toContain(wrong);
    expect(role.log).not.toContain(secret);
    role.kill('SIGTERM');
    expect(await role.exited).toEqual({ code: 0, signal: null });
  });

  it('a principal without ACLs fails readiness naming the authorization it lacks', async () => {
    const role = start('enrollment', {
      ...env.settings,
      ...cluster.settingsFor('outsider'),
      BOOT_RETRY_MS: '500',
    });
    const answer = await kafkaReadinessFailure(role);
    expect(answer.body.components!.kafka!.detail).toMatch(/not authorized: User:outsider lacks an ACL/);
    role.kill('SIGTERM');
    expect(await role.exited).toEqual({ code: 0, signal: null });
  });

  it('a broker SIGKILLed mid-stream and restarted loses no request and doubles no enrollment', async () => {
    const account = await createAccount(env.db);
    const sequences = await Promise.all(
      [1, 2].map(() =>
        createPublishedSequence(env.db, account.id, {
          steps: [{ delayMinutes: 60, channel: 'sms', content: 'x' }],
        }),
      ),
    );
    const workload = buildWorkload({
      accountId: account.id,
      sequenceIds: sequences.map((sequence) => sequence.id),
      messages: 3_000,
      duplicateShare: 0.3,
      exitShare: 0,
    });
    const progress = async () =>
      `${await countDecided(env.db, account.id)} of ${workload.requestIds.length} decided`;
    // A producer as a client would run it: a send refused while a broker dies is sent again.
    const send = async (commands: readonly EnrollmentCommand[]) => {
      await waitUntil(
        `${commands.length} commands sent`,
        () =>
          env.sendCommands(commands).then(
            () => 'sent',
            (error: unknown) => `refused: ${String(error)}`,
          ),
        (outcome) => outcome === 'sent',
        { timeoutMs: 60_000 },
      );
    };
    const half = Math.floor(workload.enrolls.length / 2);
    await send(workload.enrolls.slice(0, half));
    await waitUntil(
      'a first request decided',
      () => countDecided(env.db, account.id),
      (decided) => decided > 0,
      { timeoutMs: 60_000 },
    );
    cluster.kill(2);
    await send(workload.enrolls.slice(half));
    cluster.startNode(2);
    console.log(`broker 2 restarted: ${await progress()}`);
    await waitUntil(
      `all ${workload.requestIds.length} requests decided`,
      () => countDecided(env.db, account.id),
      (decided) => decided >= workload.requestIds.length,
      { timeoutMs: 180_000 },
    ).catch(async (error: unknown) => {
      // Where the missing requests are: never stored in the topic, or stored and not consumed.
      const stored = new Set(
        (
          await readTopics<EnrollmentCommandRecord>(env.kafka, env.codec, [env.topics.enrollmentCommands])
        ).map((command) => command.commandId),
      );
      const lag = await groupLag(await env.admin(), `${env.config.CONSUMER_GROUP_PREFIX}enrollment`, [
        env.topics.enrollmentCommands,
      ]);
      const missing = workload.requestIds.filter((id) => !stored.has(id)).length;
      throw new Error(
        `${String(error)}: ${await progress()}; ${missing} never stored in the topic; group lag ${lag}`,
      );
    });
    const report = await checkInvariants(env.db, env.kafka, env.codec, env.topics, account.id, workload);
    expectNothingLostOrDoubled(report, workload);
    expect(report.conflictingCommands).toBe(0);
  }, 300_000);

  it('while Kafka cannot take writes the api answers 503 with Retry-After in bounded time; a retry with the same idempotency key is decided once', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'x' }],
    });
    const apiKey = await issueApiKey(env.db, account.id);
    const api = running.get('api')!;
    const enroll = () =>
      fetch(`http://127.0.0.1:${api.port}/v1/enrollments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          sequenceId: sequence.id,
          contactId: 'contact-retry',
          idempotencyKey: 'retry-1',
        }),
      });
    // Two of three brokers down: min ISR 2 cannot be met, and the quorum is lost.
    cluster.kill(2);
    cluster.kill(3);
    try {
      const began = Date.now();
      const refused = await enroll();
      const waited = Date.now() - began;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe(String(PUBLISH_TIMEOUT_MS / 1000));
      expect(waited).toBeLessThan(PUBLISH_TIMEOUT_MS + 2_000);
      const unready = await health(api);
      expect(unready?.status).toBe(503);
      expect(unready?.body.components?.kafka?.ok).toBe(false);
    } finally {
      cluster.startNode(2);
      cluster.startNode(3);
    }
    const accepted = await waitUntil(
      'the api to accept the retry',
      async () => {
        // A retrying client: a connection the server closed meanwhile (keep-alive) is simply retried too.
        const answer = await enroll().catch(() => undefined);
        return answer?.status === 202 ? ((await answer.json()) as { requestId: string }) : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(accepted.requestId).toEqual(expect.any(String));
    const { rows: decisions } = await waitUntil(
      'the retry decided',
      async () => ({
        rows: await env.db.query<Array<{ reason: string }>>(
          `SELECT reason FROM enrollment_decisions WHERE account_id = $1 ORDER BY decided_at`,
          [account.id],
        ),
        enrollments: (
          await env.db.query<Array<{ n: number }>>(
            `SELECT count(*)::int AS n FROM enrollments WHERE account_id = $1`,
            [account.id],
          )
        )[0]!.n,
      }),
      ({ rows, enrollments }) => rows.length >= 1 && enrollments === 1,
      { timeoutMs: 60_000 },
    );
    // The refused request may still have landed (its send went on): then the retry is its idempotent replay.
    expect(decisions[0]!.reason).toBe('enrolled');
    expect(decisions.slice(1).map((row) => row.reason)).toEqual(
      decisions.slice(1).map(() => 'idempotent_replay'),
    );
  });
});
