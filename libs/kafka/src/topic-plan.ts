import type { AppConfig, TopicClass } from '@cadence/config';
import { allTopics, dlqTopic, type Topics } from '@cadence/contracts';

/** One topic as the engine wants it. */
export interface PlannedTopic {
  name: string;
  topicClass: TopicClass;
  partitions: number;
  replicationFactor: number;
  configs: {
    'min.insync.replicas': string;
    'retention.ms': string;
    'compression.type': string;
  };
}

/** One topic as the cluster has it (configs: only those the plan sets). */
export interface ExistingTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Partial<Record<keyof PlannedTopic['configs'], string>>;
}

export interface TopicFinding {
  topic: string;
  /** `error`: the engine cannot run on it as it is; `warning`: it runs, below the plan. */
  severity: 'error' | 'warning';
  message: string;
}

interface ClassSettings {
  replicationFactor: number | undefined;
  minInsyncReplicas: number | undefined;
  retentionMs: number;
  compression: string;
}

function classSettings(config: AppConfig): Record<TopicClass, ClassSettings> {
  return {
    commands: {
      replicationFactor: config.KAFKA_TOPICS_COMMANDS_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_TOPICS_COMMANDS_MIN_INSYNC_REPLICAS,
      retentionMs: config.KAFKA_TOPICS_COMMANDS_RETENTION_MS,
      compression: config.KAFKA_TOPICS_COMMANDS_COMPRESSION,
    },
    events: {
      replicationFactor: config.KAFKA_TOPICS_EVENTS_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_TOPICS_EVENTS_MIN_INSYNC_REPLICAS,
      retentionMs: config.KAFKA_TOPICS_EVENTS_RETENTION_MS,
      compression: config.KAFKA_TOPICS_EVENTS_COMPRESSION,
    },
    lifecycle: {
      replicationFactor: config.KAFKA_TOPICS_LIFECYCLE_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_TOPICS_LIFECYCLE_MIN_INSYNC_REPLICAS,
      retentionMs: config.KAFKA_TOPICS_LIFECYCLE_RETENTION_MS,
      compression: config.KAFKA_TOPICS_LIFECYCLE_COMPRESSION,
    },
    outbound: {
      replicationFactor: config.KAFKA_TOPICS_OUTBOUND_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_TOPICS_OUTBOUND_MIN_INSYNC_REPLICAS,
      retentionMs: config.KAFKA_TOPICS_OUTBOUND_RETENTION_MS,
      compression: config.KAFKA_TOPICS_OUTBOUND_COMPRESSION,
    },
    deadLetters: {
      replicationFactor: config.KAFKA_TOPICS_DEAD_LETTERS_REPLICATION_FACTOR,
      minInsyncReplicas: config.KAFKA_TOPICS_DEAD_LETTERS_MIN_INSYNC_REPLICAS,
      retentionMs: config.KAFKA_TOPICS_DEAD_LETTERS_RETENTION_MS,
      compression: config.KAFKA_TOPICS_DEAD_LETTERS_COMPRESSION,
    },
  };
}

/** The class of each of the engine's topics (a dead-letter topic is always `deadLetters`). */
function classOf(topics: Topics, topic: string): TopicClass {
  if (topic.endsWith('.dlq')) return 'deadLetters';
  if (topic === topics.enrollmentCommands || topic === topics.automationCommands) return 'commands';
  if (topic === topics.domainEvents || topic === topics.conversationActivity) return 'events';
  if (topic === topics.enrollmentLifecycle) return 'lifecycle';
  return 'outbound';
}

/** Default replication: three copies where the cluster has three brokers, fewer only on a smaller cluster. */
export const defaultReplicationFactor = (brokers: number): number => Math.max(1, Math.min(3, brokers));

/** Default min ISR: one fewer than the replicas, at most 2: acks=all survives one broker down. */
export const defaultMinInsyncReplicas = (replicationFactor: number): number =>
  Math.max(1, Math.min(2, replicationFactor - 1));

/** Every topic and dead-letter topic of the engine, sized for a cluster of `brokers` brokers. */
export function planTopics(config: AppConfig, topics: Topics, brokers: number): PlannedTopic[] {
  const settings = classSettings(config);
  return allTopics(topics)
    .flatMap((topic) => [topic, dlqTopic(topic)])
    .map((name) => {
      const topicClass = classOf(topics, name);
      const chosen = settings[topicClass];
      const replicationFactor = chosen.replicationFactor ?? defaultReplicationFactor(brokers);
      const minInsync = chosen.minInsyncReplicas ?? defaultMinInsyncReplicas(replicationFactor);
      return {
        name,
        topicClass,
        partitions:
          name === topics.enrollmentCommands
            ? config.KAFKA_ENROLLMENT_COMMAND_PARTITIONS
            : config.KAFKA_DEFAULT_PARTITIONS,
        replicationFactor,
        configs: {
          'min.insync.replicas': String(minInsync),
          'retention.ms': String(chosen.retentionMs),
          'compression.type': chosen.compression,
        },
      };
    });
}

/** What is wrong with the plan itself on a cluster of `brokers` brokers (it cannot be created as it is). */
export function checkPlan(plan: readonly PlannedTopic[], brokers: number): TopicFinding[] {
  return plan.flatMap((topic): TopicFinding[] => {
    const minInsync = Number(topic.configs['min.insync.replicas']);
    if (topic.replicationFactor > brokers)
      return [
        {
          topic: topic.name,
          severity: 'error',
          message: `replication factor ${topic.replicationFactor} (KAFKA_TOPICS_${envClass(topic.topicClass)}_REPLICATION_FACTOR) exceeds the cluster's ${brokers} broker(s)`,
        },
      ];
    if (minInsync > topic.replicationFactor)
      return [
        {
          topic: topic.name,
          severity: 'error',
          message: `min.insync.replicas ${minInsync} exceeds the replication factor ${topic.replicationFactor}: no write could ever succeed`,
        },
      ];
    return [];
  });
}

/**
 * How the cluster's existing topics differ from the plan. Fewer partitions or replicas, or a min ISR that
 * lets acks=all succeed on one copy, or stops all writes when a single broker is down (even as planned), are
 * reported; a min ISR above the topic's own replication factor is an error (no acks=all write can succeed),
 * and so is a topic the plan wants that is missing when the engine may not create it.
 */
export function compareWithCluster(
  plan: readonly PlannedTopic[],
  existing: readonly ExistingTopic[],
  options: { mayCreate: boolean },
): TopicFinding[] {
  const byName = new Map(existing.map((topic) => [topic.name, topic]));
  return plan.flatMap((wanted): TopicFinding[] => {
    const found = byName.get(wanted.name);
    if (!found)
      return options.mayCreate
        ? []
        : [
            {
              topic: wanted.name,
              severity: 'error',
              message: 'missing, and KAFKA_TOPICS_CREATE=false: create it as planned (npm run topics:plan)',
            },
          ];
    const findings: TopicFinding[] = [];
    const warn = (message: string) => findings.push({ topic: wanted.name, severity: 'warning', message });
    if (found.partitions < wanted.partitions)
      warn(
        `${found.partitions} partitions, plan ${wanted.partitions}: at most ${found.partitions} consumers share its load`,
      );
    if (found.replicationFactor < wanted.replicationFactor)
      warn(`replication factor ${found.replicationFactor}, plan ${wanted.replicationFactor}`);
    const minInsync = found.configs['min.insync.replicas'];
    if (minInsync !== undefined) {
      const plannedMinInsync = wanted.configs['min.insync.replicas'];
      if (Number(minInsync) > found.replicationFactor)
        findings.push({
          topic: wanted.name,
          severity: 'error',
          message: `min.insync.replicas ${minInsync} exceeds the replication factor ${found.replicationFactor}: no write could ever succeed`,
        });
      else {
        const tooStrict = Number(minInsync) === found.replicationFactor && found.replicationFactor > 1;
        if (minInsync !== plannedMinInsync)
          warn(
            `min.insync.replicas ${minInsync}, plan ${plannedMinInsync}` +
              (tooStrict ? ': one broker down stops every write' : ''),
          );
        else if (tooStrict)
          warn(
            `min.insync.replicas ${minInsync} equals the replication factor ${found.replicationFactor}: one broker down stops every write`,
          );
      }
    }
    for (const key of ['retention.ms', 'compression.type'] as const) {
      const value = found.configs[key];
      if (value !== undefined && value !== wanted.configs[key])
        warn(`${key} ${value}, plan ${wanted.configs[key]}`);
    }
    return findings;
  });
}

const envClass = (topicClass: TopicClass): string =>
  topicClass.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
