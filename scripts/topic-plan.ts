import { loadConfig, secretValues } from '@cadence/config';
import { topicsFor } from '@cadence/contracts';
import {
  checkPlan,
  clusterSize,
  compareWithCluster,
  createKafka,
  describeExisting,
  describeKafkaFailure,
  planTopics,
  type ExistingTopic,
  type PlannedTopic,
} from '@cadence/kafka';
import { createLogger } from '@cadence/observability';

/**
 * Operator command: `npm run topics:plan` prints every topic the engine uses as the configuration plans it
 * (partitions, replication, min ISR, retention, compression), beside what the cluster has and each difference.
 * `-- --brokers N` prints the plan for a cluster of N brokers without asking one (for topics managed as code).
 * Creates nothing.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const topics = topicsFor(config.KAFKA_TOPIC_PREFIX);
  const offline = brokersArgument();
  if (offline !== undefined) {
    const plan = planTopics(config, topics, offline);
    print(plan, [], `plan for a cluster of ${offline} broker(s) (not compared with a cluster)`);
    report(checkPlan(plan, offline));
    return;
  }
  const logger = createLogger('topics-plan', 'error', secretValues(config));
  const admin = createKafka(config, logger, 'topics-plan').admin({ retry: { retries: 2 } });
  try {
    await admin.connect();
    const brokers = await clusterSize(admin);
    const plan = planTopics(config, topics, brokers);
    const existing = await describeExisting(
      admin,
      plan.map((topic) => topic.name),
    );
    print(plan, existing, `plan for the cluster at ${config.KAFKA_BROKERS.join(',')} (${brokers} broker(s))`);
    const missing = plan.filter((topic) => !existing.some((found) => found.name === topic.name));
    if (missing.length > 0 && config.KAFKA_TOPICS_CREATE)
      console.log(`${missing.length} topic(s) missing: the apps create them as planned at boot`);
    report([
      ...compareWithCluster(plan, existing, { mayCreate: config.KAFKA_TOPICS_CREATE }),
      ...checkPlan(missing, brokers),
    ]);
  } catch (error) {
    throw new Error(describeKafkaFailure(error, config));
  } finally {
    await admin.disconnect();
  }
}

function brokersArgument(): number | undefined {
  const index = process.argv.indexOf('--brokers');
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('usage: npm run topics:plan [-- --brokers N]');
  return value;
}

function print(plan: PlannedTopic[], existing: ExistingTopic[], title: string): void {
  const found = new Map(existing.map((topic) => [topic.name, topic]));
  const rows = plan.map((topic) => {
    const have = found.get(topic.name);
    return [
      topic.name,
      topic.topicClass,
      String(topic.partitions),
      String(topic.replicationFactor),
      topic.configs['min.insync.replicas'],
      topic.configs['retention.ms'],
      topic.configs['compression.type'],
      have
        ? `${have.partitions}p rf${have.replicationFactor} isr${have.configs['min.insync.replicas'] ?? '?'}`
        : 'missing',
    ];
  });
  const header = [
    'topic',
    'class',
    'partitions',
    'replicas',
    'min ISR',
    'retention.ms',
    'compression',
    'cluster',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(title);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function report(findings: Array<{ topic: string; severity: string; message: string }>): void {
  if (findings.length === 0) console.log('no differences');
  for (const finding of findings) console.log(`${finding.severity}: ${finding.topic}: ${finding.message}`);
  if (findings.some((finding) => finding.severity === 'error')) process.exitCode = 2;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
