import type { Consumer, Kafka } from 'kafkajs';
import { percentile } from './bench-world';

/**
 * The floor under bench:latency: what Kafka and kafkajs alone take for the pipeline's three consumer hops
 * (domain events → router → commands → enrollment, …, channel topic → gateway) on this machine, at the same
 * rate, with consumers that only pass the bytes on. The engine's latency can approach this, not go under it.
 */
export async function kafkaHopsFloor(
  kafka: Kafka,
  prefix: string,
  options: { rate: number; seconds: number; hops: number; partitions: number },
): Promise<{ p50Ms: number; p99Ms: number }> {
  const topics = Array.from({ length: options.hops + 1 }, (_, hop) => `${prefix}floor.hop${hop}`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: options.partitions, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const consumers: Consumer[] = [];
  const latencies: number[] = [];
  for (let hop = 0; hop < topics.length - 1; hop++) {
    const consumer = kafka.consumer({ groupId: `${prefix}floor.relay${hop}` });
    await consumer.connect();
    await consumer.subscribe({ topic: topics[hop] ?? '', fromBeginning: true });
    const next = topics[hop + 1] ?? '';
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        await producer.send({
          topic: next,
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
        });
      },
    });
    consumers.push(consumer);
  }
  const probe = kafka.consumer({ groupId: `${prefix}floor.probe` });
  await probe.connect();
  await probe.subscribe({ topic: topics.at(-1) ?? '', fromBeginning: true });
  await probe.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) latencies.push(now - Number(m.value?.toString()));
    },
  });
  consumers.push(probe);

  const total = options.rate * options.seconds;
  const started = Date.now();
  let produced = 0;
  while (produced < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * options.rate) + 20);
    const messages = [];
    for (; produced < due; produced++) messages.push({ key: `k${produced}`, value: String(Date.now()) });
    await producer.send({ topic: topics[0] ?? '', acks: -1, messages });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await Promise.all(consumers.map((c) => c.disconnect()));
  await producer.disconnect();
  return { p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)) };
}
