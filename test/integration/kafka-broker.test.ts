import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../../libs/config/src';
import { waitForLeaders } from '../../libs/kafka/src';

describe('kafkajs 2.2.4 against the pinned Apache Kafka broker', () => {
  const config = loadConfig();
  const kafka = new Kafka({
    clientId: 'broker-check',
    brokers: config.KAFKA_BROKERS,
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
    const deadline = Date.now() + 30_000;
    while (received.length < sent.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();

    expect(received.sort()).toEqual(sent.map((m) => m.value).sort());
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(sent.length);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });
});
