import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Admin, Consumer } from 'kafkajs';
import { inactivityWatcherRole } from '../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import type { ConversationActivity, EnrollmentCommandRecord } from '@cadence/contracts';
import { sequenceDefinitionSchema, type Clock } from '@cadence/domain';
import { AccountsRepository, SequencesRepository } from '@cadence/persistence';
import { createLogger } from '@cadence/observability';
import { startProcess } from '@cadence/runtime';
import { createBenchWorld, median, percentile, waitFor, type BenchWorld } from './bench-world';

/**
 * `npm run bench:inactivity`: a million tracked conversations and a hundred inactivity sequences. Phase A
 * times one inactivity-watcher ingesting one activity event per conversation; phase B gives a thousand of
 * them fresh activity and measures how long after their limit passes their enroll commands appear. The last
 * line is JSON.
 */
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000);
const CROSSING = Number(process.env.BENCH_CROSSING ?? 1_000);
// One round ingests a million events, so one is the default; with more, each round gets a fresh world.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ACCOUNTS = 10;
const SEQUENCES_PER_ACCOUNT = 10;
/** Sequence 0 of each account has the 1-minute limit the crossing conversations pass; the others 11 … 91. */
const limitMinutes = (sequence: number): number => (sequence === 0 ? 1 : 1 + 10 * sequence);
const MAX_LIMIT_MINUTES = limitMinutes(SEQUENCES_PER_ACCOUNT - 1);
const LOOKBACK_MINUTES = 1;
const TICK_MS = 250;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** The crossing conversations' activity is spread over this span, so their crossings sample every tick phase. */
const CROSSING_SPREAD_MS = 5_000;
/** The clock jumps to this long before the first crossing, so every crossing happens while the clock runs. */
const JUMP_LEAD_MS = 1_000;
const PRODUCE_CHUNK = 10_000;
const TIMEOUT_MS = 30 * 60_000;
const PROBE_MS = 100;

interface RoundResult {
  eventsPerSec: number;
  detectLagP50Ms: number;
  detectLagP99Ms: number;
}

interface Seeded {
  accountIds: string[];
  /** The 1-minute sequence of each account, by account id. */
  oneMinuteSequence: Map<string, string>;
}

/**
 * Real time shifted by an offset that the bench moves forward once. Waiting out a 1-minute limit would only
 * idle the bench; instead, once the fresh activity is stored, the clock jumps to just before its limit passes
 * and then runs at real speed. Crossings therefore happen while the watcher runs, and the lag (this clock at
 * receipt minus the crossing instant) is real elapsed time: tick wait, queries, produce and consume.
 */
class ShiftedClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  jumpTo(time: number): void {
    if (time < this.now().getTime()) throw new Error('the bench clock only moves forward');
    this.offsetMs = time - Date.now();
  }
}

/** 10 accounts with 10 published, active inactivity sequences each (open and pending conversations count). */
async function seed(world: BenchWorld): Promise<Seeded> {
  const accounts = new AccountsRepository(world.db);
  const sequences = new SequencesRepository(world.db);
  const accountIds: string[] = [];
  const oneMinuteSequence = new Map<string, string>();
  for (let a = 0; a < ACCOUNTS; a++) {
    const account = await accounts.create({ name: `bench ${a}` });
    accountIds.push(account.id);
    for (let s = 0; s < SEQUENCES_PER_ACCOUNT; s++) {
      const definition = sequenceDefinitionSchema.parse({
        targetType: 'conversation',
        triggers: [{ type: 'inactivity', limitMinutes: limitMinutes(s), statuses: ['open', 'pending'] }],
        steps: [{ delayMinutes: 60, channel: 'email', content: `sequence ${a}/${s}` }],
      });
      const sequence = await sequences.createDraft(account.id, `bench ${a}/${s}`, definition);
      if ((await sequences.publish(account.id, sequence.id)) === null) {
        throw new Error(`could not publish sequence ${sequence.id}`);
      }
      await sequences.setActive(account.id, sequence.id, true);
      if (s === 0) oneMinuteSequence.set(account.id, sequence.id);
    }
  }
  return { accountIds, oneMinuteSequence };
}

/** An inbound message on conversation `n`; conversations are dealt round-robin to the accounts. */
function activity(accountIds: string[], n: number, time: number): ConversationActivity {
  return {
    id: randomUUID(),
    accountId: accountIds[n % accountIds.length]!,
    contactId: `contact-${n}`,
    conversationId: `conv-${n}`,
    kind: 'message',
    direction: 'inbound',
    status: null,
    time,
  };
}

async function send(world: BenchWorld, activities: ConversationActivity[]): Promise<void> {
  await world.producer.send(
    activities.map((value) => ({
      topic: world.topics.conversationActivity,
      key: value.conversationId,
      value,
    })),
  );
}

/**
 * One activity per conversation, spread over the day before a cutoff. The detector's windows never reach
 * back further than its start − lookback − the longest limit, and the cutoff lies 10 minutes before that
 * (room for the clock's one-minute jump), so these conversations are tracked but never cross during the
 * bench: they are the million rows the detector must not scan.
 */
async function produceTracked(world: BenchWorld, accountIds: string[], clock: Clock): Promise<void> {
  const cutoff = clock.now().getTime() - (LOOKBACK_MINUTES + MAX_LIMIT_MINUTES + 10) * MINUTE_MS;
  for (let i = 0; i < CONVERSATIONS; i += PRODUCE_CHUNK) {
    const chunk = Array.from({ length: Math.min(PRODUCE_CHUNK, CONVERSATIONS - i) }, (_, j) =>
      activity(accountIds, i + j, cutoff - Math.floor(Math.random() * DAY_MS)),
    );
    await send(world, chunk);
  }
}

/** Sum of a consumer group's committed offsets on a topic (partitions with no commit count as 0). */
async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/**
 * Waits until the watcher has committed `total` activity events. Its handler commits a batch only after the
 * upsert, so this is "stored"; probing offsets instead of count(*) keeps the probe from scanning a million
 * rows ten times a second on the cores the watcher needs.
 */
async function waitIngested(world: BenchWorld, admin: Admin, total: number): Promise<void> {
  const groupId = `${world.config.CONSUMER_GROUP_PREFIX}inactivity-watcher`;
  const topic = world.topics.conversationActivity;
  await waitFor(async () => (await committed(admin, groupId, topic)) >= total, TIMEOUT_MS, PROBE_MS);
}

async function countTracked(world: BenchWorld): Promise<number> {
  const rows = await world.db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM conversation_activity`);
  return Number(rows[0]!.n);
}

/** Records, for each `inactivity:` enroll command, the bench clock at receipt minus its crossing instant. */
async function watchCommands(world: BenchWorld, clock: Clock, lags: Map<string, number>): Promise<Consumer> {
  const consumer = world.kafka.consumer({
    groupId: `${world.config.CONSUMER_GROUP_PREFIX}bench-${randomUUID()}`,
  });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic: world.topics.enrollmentCommands, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const received = clock.now().getTime();
      for (const message of batch.messages) {
        const command = await world.codec.decode<EnrollmentCommandRecord>(message.value);
        if (command.commandId.startsWith('inactivity:'))
          lags.set(command.commandId, received - command.requestedAt);
      }
    },
  });
  // Joined before any crossing, so the lag never includes a consumer group rebalance.
  await joined;
  return consumer;
}

/** The watcher under test, in this process, on the bench clock; it runs through both phases. */
async function startWatcher(world: BenchWorld, clock: Clock): Promise<INestApplication> {
  return startProcess(inactivityWatcherRole, {
    config: world.config,
    clock,
    logger: createLogger('bench', process.env.BENCH_LOG_LEVEL ?? 'error'),
  });
}

/** Phase A: every event is in Kafka before the watcher starts; timed from its start until all are stored. */
async function ingest(world: BenchWorld, admin: Admin, started: number): Promise<number> {
  await waitIngested(world, admin, CONVERSATIONS);
  const seconds = (Date.now() - started) / 1000;
  const tracked = await countTracked(world);
  if (tracked !== CONVERSATIONS)
    throw new Error(`tracked ${tracked} conversations, expected ${CONVERSATIONS}`);
  return CONVERSATIONS / seconds;
}

/**
 * Phase B, with the watcher still running: fresh activity for CROSSING conversations spread
 * over the whole set (their activity times spread over CROSSING_SPREAD_MS), stored, then the clock jumps to
 * just before the first of them passes its 1-minute limit. Returns each one's detection lag.
 */
async function detect(
  world: BenchWorld,
  admin: Admin,
  clock: ShiftedClock,
  seeded: Seeded,
): Promise<number[]> {
  const lags = new Map<string, number>();
  const consumer = await watchCommands(world, clock, lags);
  try {
    const first = clock.now().getTime() - CROSSING_SPREAD_MS;
    const fresh = Array.from({ length: CROSSING }, (_, i) =>
      activity(
        seeded.accountIds,
        Math.floor((i * CONVERSATIONS) / CROSSING),
        first + Math.floor((i * CROSSING_SPREAD_MS) / CROSSING),
      ),
    );
    await send(world, fresh);
    await waitIngested(world, admin, CONVERSATIONS + CROSSING);
    clock.jumpTo(first + MINUTE_MS - JUMP_LEAD_MS);
    await waitFor(async () => lags.size >= CROSSING, 60_000, PROBE_MS);
    // A few more ticks: a command for any other conversation or sequence would show up as a surplus.
    await new Promise((resolve) => setTimeout(resolve, 4 * TICK_MS));
    checkDetected(lags, fresh, seeded);
    return [...lags.values()];
  } finally {
    await consumer.disconnect();
  }
}

/** Exactly one command per crossing conversation, for its account's 1-minute sequence, and nothing else. */
function checkDetected(lags: Map<string, number>, fresh: ConversationActivity[], seeded: Seeded): void {
  const expected = new Set(
    fresh.map((a) => `inactivity:${a.conversationId}:${seeded.oneMinuteSequence.get(a.accountId)!}`),
  );
  const unexpected = [...lags.keys()].filter((id) => !expected.has(id));
  if (lags.size !== expected.size || unexpected.length > 0) {
    throw new Error(
      `expected ${expected.size} inactivity commands, received ${lags.size} (${unexpected.length} unexpected, ` +
        `e.g. ${unexpected[0] ?? 'none'})`,
    );
  }
}

async function round(): Promise<RoundResult> {
  const world = await createBenchWorld('inactivity', {
    INACTIVITY_LOOKBACK_MINUTES: String(LOOKBACK_MINUTES),
    INACTIVITY_TICK_MS: String(TICK_MS),
  });
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    const clock = new ShiftedClock();
    const seeded = await seed(world);
    await produceTracked(world, seeded.accountIds, clock);
    const started = Date.now();
    const app = await startWatcher(world, clock);
    try {
      const eventsPerSec = await ingest(world, admin, started);
      const lags = await detect(world, admin, clock, seeded);
      return { eventsPerSec, detectLagP50Ms: percentile(lags, 50), detectLagP99Ms: percentile(lags, 99) };
    } finally {
      await app.close();
    }
  } finally {
    await admin.disconnect();
    await world.close();
  }
}

async function main(): Promise<void> {
  if (!(CROSSING > 0 && CROSSING <= CONVERSATIONS)) {
    throw new Error(`BENCH_CROSSING must be between 1 and BENCH_CONVERSATIONS (${CONVERSATIONS})`);
  }
  const results: RoundResult[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const result = await round();
    results.push(result);
    console.log(
      `round ${index}: ingest ${result.eventsPerSec.toFixed(0)} activity events/s, ` +
        `detection lag p50 ${result.detectLagP50Ms.toFixed(0)} ms, p99 ${result.detectLagP99Ms.toFixed(0)} ms`,
    );
  }
  const of = (pick: (result: RoundResult) => number) => Math.round(median(results.map(pick)));
  const eventsPerSec = of((r) => r.eventsPerSec);
  const detectLagP50Ms = of((r) => r.detectLagP50Ms);
  const detectLagP99Ms = of((r) => r.detectLagP99Ms);
  console.log(
    `${CONVERSATIONS} tracked conversations, ${ACCOUNTS * SEQUENCES_PER_ACCOUNT} inactivity sequences over ` +
      `${ACCOUNTS} accounts, median of ${ROUNDS}: ingest ${eventsPerSec} activity events/s; ${CROSSING} ` +
      `conversations crossing a 1-minute limit detected with lag p50 ${detectLagP50Ms} ms, ` +
      `p99 ${detectLagP99Ms} ms (tick ${TICK_MS} ms)`,
  );
  console.log(JSON.stringify({ bench: 'inactivity', eventsPerSec, detectLagP50Ms, detectLagP99Ms }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
