import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../apps/enrollment/src/enrollment-app.module';
import {
  contactKey,
  enrollCommand,
  toCommandRecord,
  validateEnrollmentCommand,
  type EnrollCommand,
} from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { BatchConsumer, ok } from '@cadence/kafka';
import { AccountsRepository, SequencesRepository } from '@cadence/persistence';
import { createLogger, startTracing } from '@cadence/observability';
import { startProcess } from '@cadence/runtime';
import { createBenchWorld, median, waitFor, type BenchWorld } from './bench-world';

/**
 * `npm run bench:enroll`: 100,000 enroll requests (30% duplicates, 10,000 contacts, 20 sequences) through
 * Kafka into decisions, against a baseline that consumes the same messages with kafkajs and writes them with
 * one batched INSERT per batch and no logic. Prints both rates and their ratio; the last line is JSON.
 */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const CONTACTS = 10_000;
const SEQUENCES = 20;
const DUPLICATE_SHARE = 0.3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function commands(accountId: string, sequenceIds: string[]): EnrollCommand[] {
  const unique = Math.round(REQUESTS * (1 - DUPLICATE_SHARE));
  const pairs = new Set<string>();
  while (pairs.size < unique) {
    pairs.add(`${Math.floor(Math.random() * CONTACTS)}|${Math.floor(Math.random() * SEQUENCES)}`);
  }
  const list = [...pairs];
  for (let i = unique; i < REQUESTS; i++) list.push(list[Math.floor(Math.random() * unique)]!);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list.map((pair) => {
    const [contact, sequence] = pair.split('|');
    return enrollCommand({
      commandId: randomUUID(),
      accountId,
      contactId: `contact-${contact}`,
      sequenceId: sequenceIds[Number(sequence)]!,
      method: 'api',
      requestedAt: Date.now(),
    });
  });
}

async function seed(world: BenchWorld): Promise<EnrollCommand[]> {
  const account = await new AccountsRepository(world.db).create({ name: 'bench' });
  const sequences = new SequencesRepository(world.db);
  const ids: string[] = [];
  for (let i = 0; i < SEQUENCES; i++) {
    const draft = sequenceDefinitionSchema.parse({
      targetType: 'contact',
      steps: [{ delayMinutes: 60, channel: 'email', content: `sequence ${i}` }],
    });
    const sequence = await sequences.createDraft(account.id, `bench ${i}`, draft);
    await sequences.publish(account.id, sequence.id);
    await sequences.setActive(account.id, sequence.id, true);
    ids.push(sequence.id);
  }
  const all = commands(account.id, ids);
  for (let i = 0; i < all.length; i += 5_000) {
    await world.producer.send(
      all.slice(i, i + 5_000).map((command) => ({
        topic: world.topics.enrollmentCommands,
        key: contactKey(command.accountId, command.contactId),
        value: toCommandRecord(command),
      })),
    );
  }
  return all;
}

const count = async (world: BenchWorld, table: string): Promise<number> =>
  Number((await world.db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

/**
 * The engine: the enrollment role decides every request, with tracing as a role process starts it (export off:
 * every request still gets trace ids, and each enrollment keeps its decision's traceparent).
 */
async function decisionsPerSecond(world: BenchWorld): Promise<number> {
  const tracing = startTracing({ serviceName: 'cadence-enrollment' });
  const started = Date.now();
  const app = await startProcess(enrollmentRole, {
    config: world.config,
    logger: createLogger('bench', process.env.BENCH_LOG_LEVEL ?? 'error'),
  });
  await waitFor(async () => (await count(world, 'enrollment_decisions')) >= REQUESTS, 600_000, 50);
  const seconds = (Date.now() - started) / 1000;
  await app.close();
  await tracing.shutdown();
  return REQUESTS / seconds;
}

/**
 * Context, not part of the ratio: the engine's consumer loop alone (decode through the registry, validate,
 * commit) with a handler that decides nothing — the ceiling of any decision logic on this machine.
 */
async function consumeOnlyPerSecond(world: BenchWorld): Promise<number> {
  let handled = 0;
  const started = Date.now();
  const consumer = new BatchConsumer(
    world.kafka,
    world.codec,
    world.producer,
    createLogger('bench', 'error'),
    {
      groupId: `${world.config.CONSUMER_GROUP_PREFIX}consume-only`,
      topics: [world.topics.enrollmentCommands],
      handler: {
        name: 'consume-only',
        validate: validateEnrollmentCommand,
        handle: async (items) => {
          handled += items.length;
          return items.map(() => ok);
        },
      },
      partitionsConsumedConcurrently: world.config.CONSUMER_PARTITIONS_CONCURRENTLY,
    },
  );
  void consumer.start();
  await waitFor(async () => handled >= REQUESTS, 600_000, 20);
  const seconds = (Date.now() - started) / 1000;
  await consumer.stop();
  return REQUESTS / seconds;
}

/**
 * Context, not part of the ratio: the database's share alone. The rows the engine just wrote for the requests
 * (each request's decision; for an enrollment, the enrollment and its first history row) are copied,
 * server-side, into empty tables with the same keys and indexes, in transactions of 5,000 requests, three at
 * a time as the engine's partitions are: no Kafka, no Node, no decision.
 */
async function mandatedWritesPerSecond(world: BenchWorld): Promise<number> {
  const copies = ['enrollment_decisions', 'enrollments', 'enrollment_history'];
  for (const table of copies)
    await world.db.query(`CREATE TABLE floor_${table} (LIKE ${table} INCLUDING ALL)`);
  await world.db.query(
    `CREATE TABLE floor_source AS
       SELECT account_id, request_id, enrollment_id, (row_number() OVER (ORDER BY request_id) - 1) / 5000 AS chunk
         FROM enrollment_decisions`,
  );
  await world.db.query(`CREATE INDEX ON floor_source (chunk)`);
  await world.db.query(`ANALYZE floor_source`);
  const chunks = Math.ceil((await count(world, 'floor_source')) / 5_000);
  const started = Date.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let chunk = next++; chunk < chunks; chunk = next++) {
      await world.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO floor_enrollment_decisions SELECT d.* FROM floor_source s
             JOIN enrollment_decisions d ON d.account_id = s.account_id AND d.request_id = s.request_id
            WHERE s.chunk = $1`,
          [chunk],
        );
        await tx.query(
          `INSERT INTO floor_enrollments SELECT e.* FROM floor_source s JOIN enrollments e ON e.id = s.enrollment_id
            WHERE s.chunk = $1`,
          [chunk],
        );
        await tx.query(
          `INSERT INTO floor_enrollment_history SELECT h.* FROM floor_source s
             JOIN enrollment_history h ON h.enrollment_id = s.enrollment_id
            WHERE s.chunk = $1`,
          [chunk],
        );
      });
    }
  };
  await Promise.all([lane(), lane(), lane()]);
  const seconds = (Date.now() - started) / 1000;
  for (const table of ['source', ...copies]) await world.db.query(`DROP TABLE floor_${table}`);
  return REQUESTS / seconds;
}

/** Context for sizing: what the engine's rows for these requests take on disk, indexes included. */
async function bytesPerRequest(world: BenchWorld): Promise<number> {
  const [row] = await world.db.query<Array<{ bytes: string }>>(
    `SELECT pg_total_relation_size('enrollment_decisions') + pg_total_relation_size('enrollments')
            + pg_total_relation_size('enrollment_history') AS bytes`,
  );
  return Number(row!.bytes) / REQUESTS;
}

/** The baseline a user would write without the engine: consume, one INSERT per batch, commit. */
async function baselinePerSecond(world: BenchWorld): Promise<number> {
  await world.db.query(
    `CREATE TABLE IF NOT EXISTS bench_baseline (topic text, partition int, "offset" bigint, key text, value bytea)`,
  );
  const started = Date.now();
  const consumer = world.kafka.consumer({
    groupId: `${world.config.CONSUMER_GROUP_PREFIX}baseline-${randomUUID()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: world.topics.enrollmentCommands, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: async (payload) => {
      const { batch } = payload;
      const messages = batch.messages;
      if (messages.length === 0) return;
      await world.db.query(
        `INSERT INTO bench_baseline (topic, partition, "offset", key, value)
         SELECT $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::bytea[])`,
        [
          batch.topic,
          batch.partition,
          messages.map((m) => m.offset),
          messages.map((m) => m.key?.toString() ?? null),
          messages.map((m) => m.value),
        ],
      );
      const last = messages[messages.length - 1]!;
      payload.resolveOffset(last.offset);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
    },
  });
  await waitFor(async () => (await count(world, 'bench_baseline')) >= REQUESTS, 600_000, 50);
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  await world.db.query(`TRUNCATE bench_baseline`);
  return REQUESTS / seconds;
}

async function main(): Promise<void> {
  const engine: number[] = [];
  const baseline: number[] = [];
  const consumeOnly: number[] = [];
  const writesOnly: number[] = [];
  const storage: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const world = await createBenchWorld('enroll');
    try {
      await seed(world);
      // Alternate which runs first, so neither always gets the warmer page cache.
      if (round % 2) {
        baseline.push(await baselinePerSecond(world));
        engine.push(await decisionsPerSecond(world));
      } else {
        engine.push(await decisionsPerSecond(world));
        baseline.push(await baselinePerSecond(world));
      }
      consumeOnly.push(await consumeOnlyPerSecond(world));
      storage.push(await bytesPerRequest(world));
      writesOnly.push(await mandatedWritesPerSecond(world));
      console.log(
        `round ${round}: engine ${engine.at(-1)!.toFixed(0)} decisions/s, baseline ${baseline.at(-1)!.toFixed(0)} rows/s, ` +
          `consume-only ${consumeOnly.at(-1)!.toFixed(0)} messages/s, writes-only ${writesOnly.at(-1)!.toFixed(0)} requests/s`,
      );
    } finally {
      await world.close();
    }
  }
  const decisionsPerSec = Math.round(median(engine));
  const baselinePerSec = Math.round(median(baseline));
  const ratio = Number((decisionsPerSec / baselinePerSec).toFixed(3));
  console.log(
    `${REQUESTS} requests (${DUPLICATE_SHARE * 100}% duplicates, ${CONTACTS} contacts, ${SEQUENCES} sequences), median of ${ROUNDS}: ` +
      `engine ${decisionsPerSec} decisions/s, baseline ${baselinePerSec} rows/s, ratio ${ratio}`,
  );
  const consumeOnlyPerSec = Math.round(median(consumeOnly));
  console.log(
    `context: the engine's consumer loop alone (decode, validate, commit; no decision) ran at ${consumeOnlyPerSec} messages/s, ` +
      `${(consumeOnlyPerSec / baselinePerSec).toFixed(2)} of the baseline`,
  );
  const writesOnlyPerSec = Math.round(median(writesOnly));
  console.log(
    `context: the database alone, writing what the engine wrote for them (decision; enrollment and history row), ` +
      `took the requests at ${writesOnlyPerSec}/s, ${(writesOnlyPerSec / baselinePerSec).toFixed(2)} of the baseline`,
  );
  console.log(
    `context: on disk, the engine's rows (decisions, enrollments, history, with their indexes) took ` +
      `${Math.round(median(storage))} bytes per request`,
  );
  console.log(JSON.stringify({ bench: 'enroll', decisionsPerSec, baselinePerSec, ratio }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
