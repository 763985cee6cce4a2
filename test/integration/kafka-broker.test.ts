import { randomUUID } from 'node:crypto';
import { logLevel } from 'kafkajs';
import { loadConfig } from '../../libs/config/src';
import { createKafka, waitForLeaders } from '../../libs/kafka/src';
import { createLogger } from '../../libs/observability/src';
import { waitUntil } from '../support/wait-until';

describe('kafkajs 2.2.4 against the pinned Apache Kafka broker', () => {
  const config = loadConfig();
  const kafka = createKafka(config, createLogger('test', 'error'), 'broker-check', {
    logLevel: logLevel.NOTHING,
  });

  it('creates a topic, produces, consumes in a group and commits offsets', async () => {
    const topic = `broker-check-${randomUUID()}`;
    const groupId = `broker-check-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await waitForLeaders(admin, [topic]);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 4}`, value: `v${i}` }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const received: string[] = [];
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: from, partition, message }) => {
        received.push(message.value!.toString());
        await consumer.commitOffsets([
          { topic: from, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
      },
    });
    try {
      await waitUntil(
        `all ${sent.length} messages consumed`,
        () => received.length,
        (count) => count >= sent.length,
        { intervalMs: 50 },
      );
    } finally {
      await consumer.disconnect();
    }

    expect(received.sort()).toEqual(sent.map((m) => m.value).sort());
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(sent.length);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});
