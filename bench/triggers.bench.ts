import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { triggerRouterRole } from '../apps/trigger-router/src/trigger-router-app.module';
import { dlqTopic, type DomainEvent } from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { AccountsRepository, SequencesRepository } from '@cadence/persistence';
import { createLogger, Readiness } from '@cadence/observability';
import { startProcess } from '@cadence/runtime';
import { createBenchWorld, median, waitFor, type BenchWorld } from './bench-world';

/**
 * `npm run bench:triggers`: domain events routed per second by one trigger-router, with 1,000 sequences over
 * 100 accounts listening to event triggers. The events are encoded before the run and sent once the router
 * is up; it is timed from the first send until its consumer group has committed every event. The last line
 * is JSON.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ACCOUNTS = 100;
const SEQUENCES_PER_ACCOUNT = 10;
/** Sequences listen to `type-0` … `type-19`; events also carry `type-20` … `type-24`, which nobody listens to. */
const LISTENED_TYPES = 20;
const EVENT_TYPES = 25;
/** Events per produce request: well below the broker's 1 MiB limit at ~150 bytes an event. */
const SEND_CHUNK = 2_000;
const TIMEOUT_MS = 30 * 60_000;
const PROBE_MS = 100;

interface RoundResult {
  eventsPerSec: number;
  bootMs: number;
  /** How long sending the events took, out of the timed span. */
  sendMs: number;
  commands: number;
}

type EncodedEvent = { key: string; value: Buffer };

/** How many sequences of each account listen to each event type: key `accountId|type`. */
type Listening = Map<string, number>;

const listeningKey = (accountId: string, type: string): string => `${accountId}|${type}`;
const randomInt = (below: number): number => Math.floor(Math.random() * below);

/**
 * 100 accounts with 10 published, active sequences each; every sequence has one event trigger on a random
 * listened type (two sequences of an account may share a type: then one event enrolls into both). The target
 * is the contact, which every event carries, so each listening sequence yields exactly one command.
 */
async function seed(world: BenchWorld): Promise<{ accountIds: string[]; listening: Listening }> {
  const accounts = new AccountsRepository(world.db);
  const sequences = new SequencesRepository(world.db);
  const accountIds: string[] = [];
  const listening: Listening = new Map();
  for (let a = 0; a < ACCOUNTS; a++) {
    const account = await accounts.create({ name: `bench ${a}` });
    accountIds.push(account.id);
    for (let s = 0; s < SEQUENCES_PER_ACCOUNT; s++) {
      const eventType = `type-${randomInt(LISTENED_TYPES)}`;
      const definition = sequenceDefinitionSchema.parse({
        targetType: 'contact',
        triggers: [{ type: 'event', eventType }],
        steps: [{ delayMinutes: 60, channel: 'email', content: `sequence ${a}/${s}` }],
      });
      const sequence = await sequences.createDraft(account.id, `bench ${a}/${s}`, definition);
      if ((await sequences.publish(account.id, sequence.id)) === null) {
        throw new Error(`could not publish sequence ${sequence.id}`);
      }
      await sequences.setActive(account.id, sequence.id, true);
      const key = listeningKey(account.id, eventType);
      listening.set(key, (listening.get(key) ?? 0) + 1);
    }
  }
  return { accountIds, listening };
}

function domainEvent(accountId: string): DomainEvent {
  return {
    id: randomUUID(),
    source: 'bench',
    type: `type-${randomInt(EVENT_TYPES)}`,
    time: Date.now(),
    subject: null,
    accountId,
    contactId: `contact-${randomInt(10_000)}`,
    entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: null },
    data: {},
  };
}

/**
 * Encodes the events (random account, random type), keyed by event id, ahead of the run; returns them with
 * how many enroll commands routing them must produce (from the seeded listeners) and how many events no
 * sequence listens to.
 */
async function encodeEvents(
  world: BenchWorld,
  accountIds: string[],
  listening: Listening,
): Promise<{ messages: EncodedEvent[]; expectedCommands: number; unheard: number }> {
  const messages: EncodedEvent[] = [];
  let expectedCommands = 0;
  let unheard = 0;
  for (let i = 0; i < EVENTS; i++) {
    const event = domainEvent(accountIds[randomInt(accountIds.length)]!);
    const listeners = listening.get(listeningKey(event.accountId, event.type)) ?? 0;
    expectedCommands += listeners;
    if (listeners === 0) unheard++;
    messages.push({ key: event.id, value: await world.codec.encode(world.topics.domainEvents, event) });
  }
  return { messages, expectedCommands, unheard };
}

/** Sends pre-encoded events with the raw producer: no encoding left in the timed span. */
async function sendEncoded(world: BenchWorld, messages: EncodedEvent[]): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_CHUNK) {
    await world.producer.producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic: world.topics.domainEvents, messages: messages.slice(i, i + SEND_CHUNK) }],
    });
  }
}

/** Sum of a consumer group's committed offsets on a topic (partitions with no commit count as 0). */
async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** Number of messages in a topic: the sum of its partitions' end offsets (nothing is ever deleted here). */
async function topicSize(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

/**
 * One trigger-router in this process, timed from the first event sent until its group has committed all of
 * them (the handler commits a batch only after sending its commands, so the command count is final then).
 *
 * Why the events are not in Kafka before the router starts: startProcess starts the stream consumers
 * (startAllMicroservices) before app.listen() runs the bootstrap hooks, so the router consumes while its
 * trigger index is still empty, and the first events are committed without routing. The bench therefore
 * waits for the router to be up (index loaded, consumers joined), then sends the pre-encoded events, which
 * the raw producer does much faster than the router routes them (the send time is printed to show it).
 */
async function routerRun(
  world: BenchWorld,
  admin: Admin,
  messages: EncodedEvent[],
): Promise<Omit<RoundResult, 'commands'>> {
  const groupId = `${world.config.CONSUMER_GROUP_PREFIX}trigger-router`;
  const booting = Date.now();
  const app = await startProcess(triggerRouterRole, {
    config: world.config,
    logger: createLogger('bench', process.env.BENCH_LOG_LEVEL ?? 'error'),
  });
  try {
    await waitFor(async () => (await app.get(Readiness).report()).ready, 60_000, PROBE_MS);
    const bootMs = Date.now() - booting;
    const started = Date.now();
    await sendEncoded(world, messages);
    const sendMs = Date.now() - started;
    await waitFor(
      async () => (await committed(admin, groupId, world.topics.domainEvents)) >= EVENTS,
      TIMEOUT_MS,
      PROBE_MS,
    );
    const seconds = (Date.now() - started) / 1000;
    return { eventsPerSec: EVENTS / seconds, bootMs, sendMs };
  } finally {
    await app.close();
  }
}

async function round(index: number): Promise<RoundResult> {
  const world = await createBenchWorld('triggers');
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    const { accountIds, listening } = await seed(world);
    const { messages, expectedCommands, unheard } = await encodeEvents(world, accountIds, listening);
    if (index === 1) {
      console.log(
        `${EVENTS} events over ${EVENT_TYPES} types; ${unheard} (${((100 * unheard) / EVENTS).toFixed(1)}%) ` +
          `have no listening sequence in their account`,
      );
    }
    const result = await routerRun(world, admin, messages);
    const commands = await topicSize(admin, world.topics.enrollmentCommands);
    if (commands !== expectedCommands) {
      const deadLettered = await topicSize(admin, dlqTopic(world.topics.domainEvents)).catch(() => 0);
      throw new Error(
        `router produced ${commands} enroll commands, expected ${expectedCommands} ` +
          `(${deadLettered} events dead-lettered)`,
      );
    }
    return { ...result, commands };
  } finally {
    await admin.disconnect();
    await world.close();
  }
}

async function main(): Promise<void> {
  const results: RoundResult[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const result = await round(index);
    results.push(result);
    console.log(
      `round ${index}: ${result.eventsPerSec.toFixed(0)} events/s (sent in ${result.sendMs} ms; ` +
        `boot ${result.bootMs} ms, not timed), ` +
        `${result.commands} enroll commands`,
    );
  }
  const eventsPerSec = Math.round(median(results.map((r) => r.eventsPerSec)));
  console.log(
    `${EVENTS} domain events, ${ACCOUNTS * SEQUENCES_PER_ACCOUNT} sequences over ${ACCOUNTS} accounts, ` +
      `median of ${ROUNDS}: ${eventsPerSec} events/s routed`,
  );
  console.log(JSON.stringify({ bench: 'triggers', eventsPerSec }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
