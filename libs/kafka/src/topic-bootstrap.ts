import type { Admin } from 'kafkajs';
import { allTopics, dlqTopic, type Topics } from '@cadence/contracts';

export interface PartitionPlan {
  enrollmentCommands: number;
  other: number;
}

/** Creates every topic and its DLQ if missing; existing topics are left as they are. */
export async function ensureTopics(admin: Admin, topics: Topics, plan: PartitionPlan): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted = allTopics(topics).flatMap((topic) => [topic, dlqTopic(topic)]);
  const missing = wanted.filter((topic) => !existing.has(topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
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
  return missing;
}
