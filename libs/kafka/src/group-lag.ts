import type { Admin } from 'kafkajs';

/** Messages the group has not committed yet across `topics` (a partition never committed counts from its start). */
export async function groupLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const offsets = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const mine = offsets.find((partition) => partition.partition === end.partition);
      const from = mine && Number(mine.offset) >= 0 ? Number(mine.offset) : Number(end.low);
      lag += Math.max(0, Number(end.high) - from);
    }
  }
  return lag;
}
