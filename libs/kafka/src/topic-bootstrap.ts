import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { AppConfig } from '@cadence/config';
import type { Topics } from '@cadence/contracts';
import {
  checkPlan,
  compareWithCluster,
  planTopics,
  type ExistingTopic,
  type PlannedTopic,
  type TopicFinding,
} from './topic-plan';

const PLANNED_CONFIGS = ['min.insync.replicas', 'retention.ms', 'compression.type'] as const;

/** The number of brokers the cluster has now. */
export async function clusterSize(admin: Admin): Promise<number> {
  return (await admin.describeCluster()).brokers.length;
}

/** The plan's topics that exist, with their partitions, replicas and the configs the plan sets. */
export async function describeExisting(admin: Admin, names: readonly string[]): Promise<ExistingTopic[]> {
  const listed = new Set(await admin.listTopics());
  const present = names.filter((name) => listed.has(name));
  if (present.length === 0) return [];
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: [...PLANNED_CONFIGS],
    })),
  });
  const configsOf = new Map(
    described.resources.map((resource) => [
      resource.resourceName,
      Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue])),
    ]),
  );
  return metadata.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.length,
    replicationFactor: Math.min(...topic.partitions.map((partition) => partition.replicas.length)),
    configs: configsOf.get(topic.name) ?? {},
  }));
}

export interface TopicPlanOutcome {
  plan: PlannedTopic[];
  created: string[];
  /** How the plan or the existing topics fall short; errors mean the engine must not run. */
  findings: TopicFinding[];
}

/**
 * Makes the cluster match the plan as far as the engine may: creates what is missing (unless creation is off),
 * never alters an existing topic, and reports every difference.
 */
export async function applyTopicPlan(
  admin: Admin,
  config: AppConfig,
  topics: Topics,
  options: { create: boolean } = { create: config.KAFKA_TOPICS_CREATE },
): Promise<TopicPlanOutcome> {
  const brokers = await clusterSize(admin);
  const plan = planTopics(config, topics, brokers);
  const names = plan.map((topic) => topic.name);
  const existing = await describeExisting(admin, names);
  const present = new Set(existing.map((topic) => topic.name));
  const missing = plan.filter((topic) => !present.has(topic.name));
  const findings = [
    ...compareWithCluster(plan, existing, { mayCreate: options.create }),
    ...checkPlan(missing, brokers),
  ];
  const creatable = options.create && !findings.some((finding) => finding.severity === 'error');
  if (creatable && missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configEntries: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (error) {
      // Processes booting together race to create the same topics; what matters is that they all exist now.
      const now = new Set(await admin.listTopics());
      if (!names.every((name) => now.has(name))) throw error;
    }
  }
  if (!findings.some((finding) => finding.severity === 'error')) await waitForLeaders(admin, names);
  return { plan, created: creatable ? missing.map((topic) => topic.name) : [], findings };
}

/** For tests and benches: the configured plan applied, failing on any error finding. */
export async function ensureTopics(admin: Admin, config: AppConfig, topics: Topics): Promise<string[]> {
  const outcome = await applyTopicPlan(admin, config, topics, { create: true });
  const errors = outcome.findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0)
    throw new Error(`topic plan: ${errors.map((e) => `${e.topic}: ${e.message}`).join('; ')}`);
  return outcome.created;
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
