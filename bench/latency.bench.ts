import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainEvent, OutboundMessageCommand } from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { AccountsRepository, SequencesRepository } from '@cadence/persistence';
import { ChaosRole } from '../scripts/chaos/role-process';
import { createBenchWorld, waitFor } from './bench-world';
import { kafkaHopsFloor } from './kafka-hops-floor';

/**
 * `npm run bench:latency`: domain events produced at RATE per second for SECONDS against sequences whose first
 * step has no delay; for each event, the time from its produce call to its outbound command being consumed on
 * the channel topic (event → trigger-router → enrollment → step-runner → sms). The three roles run as their
 * own processes (the compiled build), and each one's resident memory is sampled every 500 ms. Set
 * STEP_RUNNER_FAST_PATH=false to measure the poll-only path. First, the floor: the same rate through three
 * Kafka hops of consumers that only pass the bytes on (FLOOR_SECONDS, 0 to skip). The last line is JSON.
 */
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const FLOOR_SECONDS = Number(process.env.FLOOR_SECONDS ?? 20);
const TICK_MS = 20;
const ACCOUNTS = 10;
const DRAIN_MS = 60_000;
const ROLES = ['trigger-router', 'enrollment', 'step-runner'] as const;

const ROOT = join(__dirname, '..', '..');

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A role's resident, heap (used and reserved) and external memory in MB, from its /metrics. */
async function memoryOf(url: string | undefined): Promise<Record<string, number>> {
  if (!url) return {};
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (metric: string): number => {
    const value = new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1];
    return value === undefined ? NaN : Math.round(Number(value) / 1_048_576);
  };
  return {
    rss: read('process_resident_memory_bytes'),
    heapUsed: read('nodejs_heap_size_used_bytes'),
    heapTotal: read('nodejs_heap_size_total_bytes'),
    external: read('nodejs_external_memory_bytes'),
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);

async function main(): Promise<void> {
  const world = await createBenchWorld('latency', { KAFKA_DEFAULT_PARTITIONS: '6' });
  const floor =
    FLOOR_SECONDS > 0
      ? await kafkaHopsFloor(world.kafka, world.config.KAFKA_TOPIC_PREFIX, {
          rate: RATE,
          seconds: FLOOR_SECONDS,
          hops: 3,
          partitions: 6,
        })
      : undefined;
  if (floor)
    console.log(
      `floor: ${RATE}/s through 3 Kafka hops of pass-through consumers: p50 ${floor.p50Ms} ms, p99 ${floor.p99Ms} ms`,
    );
  const accounts = new AccountsRepository(world.db);
  const sequences = new SequencesRepository(world.db);
  const accountIds: string[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const account = await accounts.create({ name: `latency ${a}` });
    const definition = sequenceDefinitionSchema.parse({
      targetType: 'contact',
      triggers: [{ type: 'event', eventType: 'lead.created' }],
      steps: [
        { delayMinutes: 0, channel: 'sms', content: 'Welcome!' },
        { delayMinutes: 1440, channel: 'sms', content: 'How is it going?' },
      ],
    });
    const sequence = await sequences.createDraft(account.id, 'welcome', definition);
    await sequences.publish(account.id, sequence.id);
    await sequences.setActive(account.id, sequence.id, true);
    accountIds.push(account.id);
  }

  const settings: Record<string, string> = {
    DATABASE_URL: world.config.DATABASE_URL,
    KAFKA_TOPIC_PREFIX: world.config.KAFKA_TOPIC_PREFIX,
    CONSUMER_GROUP_PREFIX: world.config.CONSUMER_GROUP_PREFIX,
    KAFKA_DEFAULT_PARTITIONS: '6',
    LOG_LEVEL: 'info', // the role's "started" line names its port
    // The roles run with the image's V8 flags (scripts/image/node-options); ROLE_NODE_OPTIONS tries others.
    ...(process.env.ROLE_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.ROLE_NODE_OPTIONS }),
  };
  const logDir = join(ROOT, '.run', 'logs', `bench-latency-${Date.now().toString(36)}`);
  // ROLE_NODE_FLAGS: node flags for the roles that NODE_OPTIONS refuses (`--cpu-prof --cpu-prof-dir=…`).
  const nodeFlags = (process.env.ROLE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const roles = ROLES.map((name) => new ChaosRole(name, name, settings, logDir, nodeFlags));
  for (const role of roles) role.start();
  // Stopped on every way out, so a failed run leaves no process behind.
  const stopRoles = () => Promise.all(roles.map((role) => role.kill('SIGTERM')));
  process.once('exit', () => {
    for (const role of roles) {
      try {
        if (role.pid !== undefined) process.kill(role.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  await waitFor(async () => (await Promise.all(roles.map((r) => r.ready()))).every(Boolean), 120_000);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = world.kafka.consumer({ groupId: `${world.config.CONSUMER_GROUP_PREFIX}latency-probe` });
  await consumer.connect();
  await consumer.subscribe({ topic: world.topics.outbound.sms, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const command = await world.codec.decode<OutboundMessageCommand>(message.value);
      const started = sentAt.get(command.contactId);
      if (started !== undefined && command.stepIndex === 0) latencies.push(Date.now() - started);
    },
  });

  const maxRss = new Map<string, number>();
  const sampler = setInterval(() => {
    for (const role of roles) maxRss.set(role.role, Math.max(maxRss.get(role.role) ?? 0, rssMb(role.pid)));
  }, 500);

  const total = RATE * SECONDS;
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const sends: Array<Promise<void>> = [];
  const started = Date.now();
  let produced = 0;
  while (produced < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE) + perTick);
    const batch: Array<{ topic: string; key: string; value: DomainEvent }> = [];
    for (; produced < due; produced++) {
      const contactId = `lead-${produced}`;
      const event: DomainEvent = {
        id: randomUUID(),
        source: 'bench',
        type: 'lead.created',
        time: Date.now(),
        subject: null,
        accountId: accountIds[produced % ACCOUNTS] ?? '',
        contactId,
        entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: null },
        data: {},
      };
      batch.push({ topic: world.topics.domainEvents, key: contactId, value: event });
    }
    const at = Date.now();
    for (const { key } of batch) sentAt.set(key, at);
    sends.push(world.producer.send(batch));
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(sends);
  const producedInMs = Date.now() - started;
  // Where each role's memory is at the end of the load: V8's heap (used of reserved) and buffers outside it.
  const memory = await Promise.all(roles.map(async (role) => [role.role, await memoryOf(role.url)] as const));
  await waitFor(async () => latencies.length >= total, DRAIN_MS).catch(() => undefined);
  clearInterval(sampler);

  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = Math.round(percentile(sorted, 50));
  const p99 = Math.round(percentile(sorted, 99));
  const rss = Object.fromEntries([...maxRss].map(([name, mb]) => [name, Math.round(mb)]));
  const eventsPerSec = Math.round((total / producedInMs) * 1000);
  console.log(
    `${total} events at ${eventsPerSec}/s for ${SECONDS} s (fast path ${process.env.STEP_RUNNER_FAST_PATH ?? 'true'}): ` +
      `${latencies.length} first steps received; event → outbound command p50 ${p50} ms, p99 ${p99} ms, max ${sorted.at(-1) ?? NaN} ms; ` +
      `max RSS ${JSON.stringify(rss)} MB`,
  );
  console.log(`memory at the end of the load (MB): ${JSON.stringify(Object.fromEntries(memory))}`);
  await consumer.disconnect();
  await stopRoles();
  await world.close();
  if (latencies.length < total)
    console.log(`only ${latencies.length} of ${total} first steps arrived within the drain`);
  console.log(
    JSON.stringify({
      bench: 'latency',
      eventsPerSec,
      p50Ms: p50,
      p99Ms: p99,
      maxRssMb: Math.max(0, ...maxRss.values()) | 0,
      ...(floor ? { kafkaFloorP50Ms: floor.p50Ms, kafkaFloorP99Ms: floor.p99Ms } : {}),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
