import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, secretValues } from '@cadence/config';
import { contactKey, toCommandRecord, topicsFor, type EnrollmentCommand } from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { ContractProducer, connectContractClients, createKafka } from '@cadence/kafka';
import { createLogger } from '@cadence/observability';
import {
  AccountsRepository,
  createDataSource,
  ensureDatabase,
  SequencesRepository,
} from '@cadence/persistence';
import { terminateBackends } from './chaos/database-faults';
import { checkInvariants, countDecided, invariantsHold } from './chaos/invariants';
import { ChaosRole } from './chaos/role-process';
import { buildWorkload } from './chaos/workload';

/**
 * `npm run chaos`: a stream of enroll commands with duplicates on the 3-broker cluster (replication 3, min ISR
 * 2) while brokers, the enrollment and step-runner processes and the database's connections fail; then checks
 * that nothing was lost or doubled. Started by scripts/chaos.sh, which brings up the cluster. Last line: JSON.
 */
const MESSAGES = Number(process.env.CHAOS_MESSAGES ?? 24_000);
const DEADLINE_MS = Number(process.env.CHAOS_DEADLINE_MS ?? 15 * 60_000);
const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}`);

interface Fault {
  name: string;
  recoverySeconds: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ chaos: 'cluster', error: `not finished within ${DEADLINE_MS} ms` }));
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const suffix = Date.now().toString(36);
  const prefix = `cadence.chaos-${suffix}.`;
  const base = loadConfig();
  const databaseUrl = withDatabase(base.DATABASE_URL, `cadence_chaos_${suffix}`);
  const settings: Record<string, string> = {
    KAFKA_TOPIC_PREFIX: prefix,
    CONSUMER_GROUP_PREFIX: prefix,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    STEP_RUNNER_POLL_MS: '200',
    CONSUMER_SESSION_TIMEOUT_MS: '10000',
    KAFKA_ENROLLMENT_COMMAND_PARTITIONS: '12',
    KAFKA_DEFAULT_PARTITIONS: '3',
  };
  const config = loadConfig(settings);
  const topics = topicsFor(prefix);
  await ensureDatabase(databaseUrl);
  const db = await createDataSource(databaseUrl, 2).initialize();
  await db.runMigrations();
  const kafka = createKafka(config, createLogger('chaos', 'error', secretValues(config)), 'chaos');
  const { codec, producer } = await connectContractClients(config, kafka);

  const account = await new AccountsRepository(db).create({ name: 'chaos' });
  const sequenceIds = await Promise.all([1, 2].map(() => publishSequence(db, account.id)));
  const workload = buildWorkload({
    accountId: account.id,
    sequenceIds,
    messages: MESSAGES,
    duplicateShare: 0.3,
    exitShare: 0.1,
  });
  log(
    `${workload.enrolls.length} enroll messages (${workload.requestIds.length} requests, ${workload.distinctKeys} keys), ${workload.exits(0).length} exits; topics ${prefix}*`,
  );

  const logDir = join(ROOT, '.run', 'logs', `chaos-${suffix}`);
  const role = (name: string, label = name) => new ChaosRole(name, label, settings, logDir);
  const enrollment = role('enrollment');
  const stepRunner = role('step-runner');
  const others = [role('api'), role('trigger-router'), role('inactivity-watcher')];
  const steady = [enrollment, stepRunner, ...others];
  steady.forEach((r) => r.start());
  await waitFor(
    async () => (await Promise.all(steady.map((r) => r.ready()))).every(Boolean),
    120_000,
    'all five roles ready',
  );
  log('all five roles ready');

  const decided = () => countDecided(db, account.id);
  const allReady = async () => (await Promise.all(steady.map((r) => r.ready()))).every(Boolean);
  /** From the end of a fault until every role is ready and decisions moved on (or all are in). */
  const recovery = async (name: string, faultEnded: number, before: number): Promise<Fault> => {
    await waitFor(
      async () =>
        (await allReady()) && ((await decided()) > before || (await decided()) >= workload.requestIds.length),
      180_000,
      `recovery after ${name}`,
    );
    const fault = { name, recoverySeconds: Math.round((Date.now() - faultEnded) / 100) / 10 };
    log(`${name}: recovered in ${fault.recoverySeconds} s`);
    return fault;
  };

  const producing = produce(producer, topics.enrollmentCommands, workload.enrolls, 90_000);
  const faults: Fault[] = [];
  const cluster = (...args: string[]) => run('bash', [join(ROOT, 'scripts/infra/kafka-cluster.sh'), ...args]);

  await sleep(5_000);
  log('SIGKILL broker 2');
  let before = await decided();
  await cluster('kill', '2');
  await sleep(10_000);
  await cluster('start-node', '2');
  faults.push(await recovery('broker 2 SIGKILL, restarted after 10 s', Date.now(), before));

  for (let i = 1; i <= 3; i++) {
    await sleep(4_000);
    log(`SIGKILL enrollment (${i}/3)`);
    before = await decided();
    await enrollment.kill('SIGKILL');
    enrollment.start();
    faults.push(await recovery(`enrollment SIGKILL ${i}, restarted`, Date.now(), before));
  }

  log('second enrollment instance joins');
  const second = role('enrollment', 'enrollment-second');
  second.start();
  await waitFor(() => second.ready(), 60_000, 'second enrollment instance ready');
  before = await decided();
  const joined = Date.now();
  faults.push(await recovery('second enrollment instance joined (rebalance)', joined, before));
  await sleep(5_000);
  before = await decided();
  await second.kill('SIGTERM');
  faults.push(await recovery('second enrollment instance left (rebalance)', Date.now(), before));

  for (let i = 1; i <= 2; i++) {
    await sleep(3_000);
    before = await decided();
    const terminated = await terminateBackends(databaseUrl);
    log(`terminated ${terminated} Postgres backends of the apps (${i}/2)`);
    faults.push(await recovery(`Postgres backends terminated ${i} (${terminated})`, Date.now(), before));
  }

  await producing;
  await waitFor(
    async () => (await decided()) >= workload.requestIds.length,
    300_000,
    'every request decided',
  );
  log('every request decided; the replying contacts send their exits');
  await produce(producer, topics.enrollmentCommands, workload.exits(Date.now()), 5_000);

  log('waiting for the step-runner to fire');
  const firing = await stepsSent(db, account.id);
  await waitFor(async () => (await stepsSent(db, account.id)) > firing, 120_000, 'step-runner firing');
  log('SIGKILL step-runner while it fires');
  const stepsBefore = await stepsSent(db, account.id);
  await stepRunner.kill('SIGKILL');
  stepRunner.start();
  const restarted = Date.now();
  await waitFor(
    async () => (await stepRunner.ready()) && (await stepsSent(db, account.id)) > stepsBefore,
    180_000,
    'step-runner recovery',
  );
  faults.push({
    name: 'step-runner SIGKILL while firing, restarted',
    recoverySeconds: Math.round((Date.now() - restarted) / 100) / 10,
  });

  // Drained: every due step fired and every exit applied.
  await waitFor(async () => (await dueNow(db, account.id)) === 0, 180_000, 'due steps fired');
  await sleep(2_000);
  const report = await checkInvariants(db, kafka, codec, topics, account.id, workload);
  log(`invariants: ${JSON.stringify(report)}`);

  await Promise.all(steady.map((r) => r.kill('SIGTERM')));
  await producer.disconnect();
  await db.destroy();
  clearTimeout(deadline);
  const summary = {
    chaos: 'cluster',
    requests: report.requests,
    decided: report.decided,
    lostRequests: report.lostRequests,
    duplicateLive: report.duplicateLive,
    enrolled: report.enrolled,
    distinctKeys: report.distinctKeys,
    conflictingCommands: report.conflictingCommands,
    outboundCommands: report.outboundCommands,
    exited: report.exited,
    stepsAfterExit: report.stepsAfterExit,
    faults: faults.map((fault) => fault.name),
    recoverySeconds: faults.map((fault) => fault.recoverySeconds),
    maxRecoverySeconds: Math.max(...faults.map((fault) => fault.recoverySeconds)),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(JSON.stringify(summary));
  if (!invariantsHold(report)) process.exitCode = 1;
}

/** Produces the messages in chunks spread over about `spreadMs`, so faults land while the stream flows. */
async function produce(
  producer: ContractProducer,
  topic: string,
  commands: EnrollmentCommand[],
  spreadMs: number,
): Promise<void> {
  const chunk = 250;
  const chunks = Math.ceil(commands.length / chunk);
  for (let i = 0; i < commands.length; i += chunk) {
    const began = Date.now();
    await producer.send(
      commands.slice(i, i + chunk).map((command) => ({
        topic,
        key: contactKey(command.accountId, command.contactId),
        value: toCommandRecord(command),
      })),
    );
    await sleep(Math.max(0, spreadMs / chunks - (Date.now() - began)));
  }
}

async function publishSequence(
  db: Awaited<ReturnType<ReturnType<typeof createDataSource>['initialize']>>,
  accountId: string,
): Promise<string> {
  const sequences = new SequencesRepository(db);
  const draft = sequenceDefinitionSchema.parse({
    targetType: 'contact',
    exitRules: ['replied'],
    // Step 0 at once, step 1 a minute later (fired during and after the stream, racing the exits), step 2 an
    // hour later: no enrollment completes during the run, so a later duplicate never re-enters a finished one.
    steps: [
      { delayMinutes: 0, channel: 'whatsapp', content: 'first' },
      { delayMinutes: 1, channel: 'sms', content: 'second' },
      { delayMinutes: 60, channel: 'email', content: 'third' },
    ],
  });
  const sequence = await sequences.createDraft(accountId, 'chaos', draft);
  await sequences.publish(accountId, sequence.id);
  await sequences.setActive(accountId, sequence.id, true);
  return sequence.id;
}

async function stepsSent(
  db: { query: <T>(sql: string, parameters?: unknown[]) => Promise<T> },
  accountId: string,
): Promise<number> {
  const [row] = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM enrollment_history WHERE account_id = $1 AND cause IN ('step_sent','last_step_sent')`,
    [accountId],
  );
  return row?.n ?? 0;
}

async function dueNow(
  db: { query: <T>(sql: string, parameters?: unknown[]) => Promise<T> },
  accountId: string,
): Promise<number> {
  const [row] = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM enrollments
      WHERE account_id = $1 AND state = 'active' AND next_step_due_at <= now()`,
    [accountId],
  );
  return row?.n ?? 0;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(250);
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(
    JSON.stringify({ chaos: 'cluster', error: error instanceof Error ? error.message : String(error) }),
  );
  process.exit(1);
});
