import type { Admin } from 'kafkajs';
import { allTopics, dlqTopic, type Topics } from '@cadence/contracts';

export interface PartitionPlan {
  enrollmentCommands: number;
  other: number;
}

/** Creates every topic and its DLQ if missing (existing topics are left as they are); returns those created. */
export async function ensureTopics(admin: Admin, topics: Topics, plan: PartitionPlan): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted = allTopics(topics).flatMap((topic) => [topic, dlqTopic(topic)]);
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: topic === topics.enrollmentCommands ? plan.enrollmentCommands : plan.other,
          replicationFactor: 1,
        })),
      });
    } catch (error) {
      // Processes booting together race to create the same topics; what matters is that they all exist now.
      const now = new Set(await admin.listTopics());
      if (!wanted.every((topic) => now.has(topic))) throw error;
    }
  }
  await waitForLeaders(admin, wanted);
  return missing;
}

/**
 * Waits until every partition of `topics` has a leader. kafkajs's own `waitForLeaders` gives up when a fresh
 * broker answers "unknown topic or partition" for a topic it is still creating; this keeps asking.
 */
export async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const led = metadata.topics.every(
        (topic) =>
          topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (led) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
