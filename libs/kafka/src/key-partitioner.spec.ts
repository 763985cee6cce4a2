import { randomBytes, randomUUID } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { keyHashPartitioner, murmur2 } from './key-partitioner';

const metadata = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));

describe('keyHashPartitioner', () => {
  const ours = keyHashPartitioner();
  const kafkajs = Partitioners.DefaultPartitioner();

  it('matches the Java client on its published test vectors', () => {
    // Kafka's UtilsTest.testMurmur2 expectations.
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('puts every key on the partition kafkajs puts it on, whatever its length or bytes', () => {
    const keys: Array<string | Buffer> = [''];
    for (let i = 0; i < 2_000; i++) {
      keys.push(`${randomUUID()}:contact-${i}`.slice(0, i % 60), randomBytes(i % 37), `ç☃-${i}`);
    }
    for (const partitions of [1, 3, 12, 64]) {
      for (const key of keys) {
        const args = { topic: 't', partitionMetadata: metadata(partitions), message: { key, value: null } };
        expect(ours(args)).toBe(kafkajs(args));
      }
    }
  });

  it('keeps an explicit partition and spreads unkeyed messages over partitions that have a leader', () => {
    expect(
      ours({ topic: 't', partitionMetadata: metadata(12), message: { partition: 7, value: null } }),
    ).toBe(7);
    const chosen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      chosen.add(ours({ topic: 'u', partitionMetadata: metadata(4, [2]), message: { value: null } }));
    }
    expect([...chosen].sort()).toEqual([0, 1, 3]);
  });
});
