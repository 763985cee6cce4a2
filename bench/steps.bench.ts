import { Logger as WorkerLogger, makeWorkerUtils, run, type AddJobsJobSpec } from 'graphile-worker';
import { stepRunnerRole } from '../apps/step-runner/src/step-runner-app.module';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { AccountsRepository, SequencesRepository } from '@cadence/persistence';
import { createLogger } from '@cadence/observability';
import { startProcess } from '@cadence/runtime';
import { createBenchWorld, median, percentile, waitFor, type BenchWorld } from './bench-world';

/**
 * `npm run bench:steps`: 1,000,000 pending steps of which 100,000 are due, fired by one step-runner, against
 * the baseline a user would pick instead: graphile-worker running as many no-op jobs on the same Postgres.
 * Prints both rates, the engine's fire lag and the ratio; the last line is JSON.
 */
const PENDING = Number(process.env.BENCH_PENDING ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 100_000);
// One round seeds a million rows, so one is the default; with more, each round gets a fresh world.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const SEQUENCES = 5;
const BASELINE_CONCURRENCY = Number(process.env.BENCH_BASELINE_CONCURRENCY ?? 10);
const TIMEOUT_MS = 30 * 60_000;
const PROBE_MS = 100;

interface RoundResult {
  firedPerSec: number;
  lagP50Ms: number;
  lagP99Ms: number;
  bootMs: number;
  baselinePerSec: number;
}

/** One account and a few published, active sequences: step 0 at once by sms, step 1 a day later by email. */
async function seedSequences(
  world: BenchWorld,
): Promise<{ accountId: string; ids: string[]; versions: number[] }> {
  const account = await new AccountsRepository(world.db).create({ name: 'bench' });
  const sequences = new SequencesRepository(world.db);
  const ids: string[] = [];
  const versions: number[] = [];
  for (let i = 0; i < SEQUENCES; i++) {
    const definition = sequenceDefinitionSchema.parse({
      targetType: 'contact',
      steps: [
        { delayMinutes: 0, channel: 'sms', content: `sequence ${i}, first step` },
        { delayMinutes: 1440, channel: 'email', content: `sequence ${i}, second step` },
      ],
    });
    const sequence = await sequences.createDraft(account.id, `bench ${i}`, definition);
    const version = await sequences.publish(account.id, sequence.id);
    if (version === null) throw new Error(`could not publish sequence ${sequence.id}`);
    await sequences.setActive(account.id, sequence.id, true);
    ids.push(sequence.id);
    versions.push(version);
  }
  return { accountId: account.id, ids, versions };
}

/**
 * All enrollments in one INSERT ... SELECT. The due ones are every `stride`-th row, so they are scattered
 * over the table like real due steps among pending ones, not packed into its first pages. Contact ids are
 * unique, which keeps the one-live-enrollment index satisfied. Returns the seed's "now": due steps fall due
 * in the second before it, the others a day or more after it.
 */
async function seedEnrollments(world: BenchWorld): Promise<Date> {
  const { accountId, ids, versions } = await seedSequences(world);
  const seededAt = new Date();
  const stride = Math.max(1, Math.floor(PENDING / DUE));
  await world.db.query(
    `INSERT INTO enrollments (id, account_id, sequence_id, sequence_version, contact_id, target_type, target_id,
                              method, state, next_step_index, next_step_due_at, request_id, created_at, updated_at)
     SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + n % $3::int], ($4::int[])[1 + n % $3::int],
            'c-' || n, 'contact', 'c-' || n, 'api', 'active', 0,
            CASE WHEN n % $5::int = 0 AND n <= $6::int * $5::int
                 THEN $7::timestamptz - random() * interval '1 second'
                 ELSE $7::timestamptz + interval '1 day' + random() * interval '1 day' END,
            'bench-' || n, $7::timestamptz, $7::timestamptz
       FROM generate_series(1, $8::int) AS n`,
    [accountId, ids, ids.length, versions, stride, DUE, seededAt, PENDING],
  );
  await recordDueSteps(world, seededAt);
  // The freshly inserted table has no statistics and an unset visibility map; a real one would have both.
  await world.db.query(`VACUUM ANALYZE enrollments`);
  return seededAt;
}

/**
 * Remembers how long before the seed each due step fell due. Seeding and VACUUM take seconds (minutes at
 * full size), which no real due step waits through; fire lag is measured from the same offset before the
 * runner's start instead, as if the steps had fallen due in the last second before it.
 */
async function recordDueSteps(world: BenchWorld, seededAt: Date): Promise<void> {
  await world.db.query(`CREATE TABLE bench_due (id uuid PRIMARY KEY, ahead interval NOT NULL)`);
  await world.db.query(
    `INSERT INTO bench_due (id, ahead)
     SELECT id, $1::timestamptz - next_step_due_at FROM enrollments
      WHERE state = 'active' AND next_step_due_at <= $1::timestamptz`,
    [seededAt],
  );
  const recorded = await world.db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM bench_due`);
  if (Number(recorded[0]!.n) !== DUE) throw new Error(`seeded ${recorded[0]!.n} due steps, expected ${DUE}`);
}

/** Uses the due-steps index (state = 'active', ordered by due time), so probing stays cheap while the runner works. */
async function anyStepStillDue(world: BenchWorld, seededAt: Date): Promise<boolean> {
  const rows = await world.db.query<Array<{ due: boolean }>>(
    `SELECT EXISTS (SELECT 1 FROM enrollments
                     WHERE state = 'active' AND next_step_index = 0 AND next_step_due_at <= $1) AS due`,
    [seededAt],
  );
  return rows[0]!.due;
}

/**
 * Lag of each fired step: its step_sent history time (the pass's clock reading, taken just before the claim)
 * minus its due time, placed relative to the runner's start (see recordDueSteps). Also checks that every due
 * step fired exactly once.
 */
async function fireLagsMs(world: BenchWorld, started: Date): Promise<number[]> {
  const rows = await world.db.query<Array<{ enrollment_id: string; lag: number }>>(
    `SELECT h.enrollment_id, extract(epoch FROM h.at - ($1::timestamptz - d.ahead))::float8 * 1000 AS lag
       FROM enrollment_history h JOIN bench_due d ON d.id = h.enrollment_id
      WHERE h.cause = 'step_sent' AND h.step_index = 0`,
    [started],
  );
  const distinct = new Set(rows.map((row) => row.enrollment_id)).size;
  if (rows.length !== DUE || distinct !== DUE) {
    throw new Error(
      `expected ${DUE} steps fired once each, found ${rows.length} firings of ${distinct} steps`,
    );
  }
  return rows.map((row) => row.lag);
}

/** The engine: one step-runner process (in this process) fires every due step. */
async function engineRun(
  world: BenchWorld,
  seededAt: Date,
): Promise<Pick<RoundResult, 'firedPerSec' | 'lagP50Ms' | 'lagP99Ms' | 'bootMs'>> {
  const started = new Date();
  const app = await startProcess(stepRunnerRole, {
    config: world.config,
    logger: createLogger('bench', process.env.BENCH_LOG_LEVEL ?? 'error'),
  });
  const bootMs = Date.now() - started.getTime();
  await waitFor(async () => !(await anyStepStillDue(world, seededAt)), TIMEOUT_MS, PROBE_MS);
  const seconds = (Date.now() - started.getTime()) / 1000;
  await app.close();
  const lags = await fireLagsMs(world, started);
  return {
    firedPerSec: DUE / seconds,
    lagP50Ms: percentile(lags, 50),
    lagP99Ms: percentile(lags, 99),
    bootMs,
  };
}

// graphile-worker logs every job at info level; the bench prints only its own lines.
const quietWorkerLogger = new WorkerLogger(() => () => undefined);

/** Creates graphile-worker's schema and enqueues the no-op jobs in bulk (its add_jobs), before any timing. */
async function enqueueBaselineJobs(world: BenchWorld): Promise<void> {
  const utils = await makeWorkerUtils({
    connectionString: world.config.DATABASE_URL,
    logger: quietWorkerLogger,
  });
  try {
    await utils.migrate();
    const chunk = 10_000;
    for (let i = 0; i < DUE; i += chunk) {
      const specs: AddJobsJobSpec[] = Array.from({ length: Math.min(chunk, DUE - i) }, () => ({
        identifier: 'noop',
        payload: {},
      }));
      await utils.addJobs(specs);
    }
  } finally {
    await utils.release();
  }
}

/** Completed jobs are deleted from graphile-worker's table; like the engine's probe, an EXISTS, not a count. */
async function anyJobLeft(world: BenchWorld): Promise<boolean> {
  const rows = await world.db.query<Array<{ pending: boolean }>>(
    `SELECT EXISTS (SELECT 1 FROM graphile_worker._private_jobs) AS pending`,
  );
  return rows[0]!.pending;
}

/** The baseline: graphile-worker runs the pre-enqueued no-op jobs; timed from start until none is left. */
async function baselineRun(world: BenchWorld): Promise<number> {
  await enqueueBaselineJobs(world);
  let succeeded = 0;
  const started = Date.now();
  const runner = await run({
    connectionString: world.config.DATABASE_URL,
    // One connection per concurrent job plus its LISTEN connection, so jobs never queue for the pool.
    maxPoolSize: BASELINE_CONCURRENCY + 2,
    concurrency: BASELINE_CONCURRENCY,
    pollInterval: 50,
    noHandleSignals: true,
    logger: quietWorkerLogger,
    taskList: { noop: () => undefined },
  });
  runner.events.on('job:success', () => {
    succeeded++;
  });
  await waitFor(async () => !(await anyJobLeft(world)), TIMEOUT_MS, PROBE_MS);
  const seconds = (Date.now() - started) / 1000;
  await runner.stop();
  if (succeeded !== DUE) throw new Error(`graphile-worker ran ${succeeded} jobs, expected ${DUE}`);
  return DUE / seconds;
}

async function round(index: number): Promise<RoundResult> {
  const world = await createBenchWorld('steps', {
    STEP_RUNNER_BATCH_SIZE: process.env.STEP_RUNNER_BATCH_SIZE ?? '1000',
    STEP_RUNNER_POLL_MS: process.env.STEP_RUNNER_POLL_MS ?? '50',
  });
  try {
    const seededAt = await seedEnrollments(world);
    // Alternate which runs first, so neither always gets the warmer page cache.
    if (index % 2) {
      const baselinePerSec = await baselineRun(world);
      return { ...(await engineRun(world, seededAt)), baselinePerSec };
    }
    const engine = await engineRun(world, seededAt);
    return { ...engine, baselinePerSec: await baselineRun(world) };
  } finally {
    await world.close();
  }
}

async function main(): Promise<void> {
  if (!(DUE > 0 && DUE <= PENDING)) {
    throw new Error(`BENCH_DUE must be between 1 and BENCH_PENDING (${PENDING})`);
  }
  const results: RoundResult[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const result = await round(index);
    results.push(result);
    console.log(
      `round ${index}: engine ${result.firedPerSec.toFixed(0)} steps/s ` +
        `(lag p50 ${result.lagP50Ms.toFixed(0)} ms, p99 ${result.lagP99Ms.toFixed(0)} ms, boot ${result.bootMs} ms), ` +
        `baseline ${result.baselinePerSec.toFixed(0)} jobs/s`,
    );
  }
  const of = (pick: (result: RoundResult) => number) => Math.round(median(results.map(pick)));
  const firedPerSec = of((r) => r.firedPerSec);
  const lagP50Ms = of((r) => r.lagP50Ms);
  const lagP99Ms = of((r) => r.lagP99Ms);
  const baselinePerSec = of((r) => r.baselinePerSec);
  const ratio = Number((firedPerSec / baselinePerSec).toFixed(3));
  console.log(
    `${PENDING} pending steps, ${DUE} due, median of ${ROUNDS}: engine ${firedPerSec} steps/s ` +
      `(fire lag p50 ${lagP50Ms} ms, p99 ${lagP99Ms} ms), graphile-worker ${baselinePerSec} jobs/s ` +
      `(concurrency ${BASELINE_CONCURRENCY}), ratio ${ratio}`,
  );
  console.log(JSON.stringify({ bench: 'steps', firedPerSec, lagP50Ms, lagP99Ms, baselinePerSec, ratio }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
