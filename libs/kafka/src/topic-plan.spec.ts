import { loadConfig, type TopicClass } from '@cadence/config';
import { topicsFor } from '@cadence/contracts';
import {
  checkPlan,
  compareWithCluster,
  defaultMinInsyncReplicas,
  defaultReplicationFactor,
  planTopics,
  type ExistingTopic,
  type PlannedTopic,
} from './topic-plan';

const topics = topicsFor('t.');
const DAY_MS = 86_400_000;

const configWith = (overrides: Record<string, string> = {}) =>
  loadConfig({ KAFKA_ENROLLMENT_COMMAND_PARTITIONS: '24', KAFKA_DEFAULT_PARTITIONS: '4', ...overrides });

const planned = (name: string, plan: readonly PlannedTopic[]): PlannedTopic => {
  const topic = plan.find((candidate) => candidate.name === name);
  if (!topic) throw new Error(`${name} is not in the plan`);
  return topic;
};

/** The cluster has each topic exactly as planned, with `changes` applied to `name`. */
const clusterAsPlanned = (
  plan: readonly PlannedTopic[],
  name?: string,
  changes: Partial<Omit<ExistingTopic, 'name'>> = {},
): ExistingTopic[] =>
  plan.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions,
    replicationFactor: topic.replicationFactor,
    configs: { ...topic.configs },
    ...(topic.name === name ? changes : {}),
  }));

describe('planTopics', () => {
  it('plans every topic of the engine and a dead-letter topic for each, nothing else', () => {
    const names = planTopics(configWith(), topics, 3).map((topic) => topic.name);
    const bases = [
      't.domain-events',
      't.conversation-activity',
      't.automation-commands',
      't.enrollment-commands',
      't.enrollment-lifecycle',
      't.outbound.whatsapp',
      't.outbound.email',
      't.outbound.sms',
    ];
    expect([...names].sort()).toEqual([...bases, ...bases.map((base) => `${base}.dlq`)].sort());
  });

  it.each<[string, TopicClass]>([
    ['t.enrollment-commands', 'commands'],
    ['t.automation-commands', 'commands'],
    ['t.domain-events', 'events'],
    ['t.conversation-activity', 'events'],
    ['t.enrollment-lifecycle', 'lifecycle'],
    ['t.outbound.whatsapp', 'outbound'],
    ['t.outbound.email', 'outbound'],
    ['t.outbound.sms', 'outbound'],
    ['t.enrollment-commands.dlq', 'deadLetters'],
    ['t.domain-events.dlq', 'deadLetters'],
    ['t.outbound.sms.dlq', 'deadLetters'],
  ])('puts %s in the %s class', (name, topicClass) => {
    expect(planned(name, planTopics(configWith(), topics, 3)).topicClass).toBe(topicClass);
  });

  it('gives the enrollment commands their own partition count and every other topic, its dead letters included, the default', () => {
    const plan = planTopics(configWith(), topics, 3);
    expect(planned('t.enrollment-commands', plan).partitions).toBe(24);
    const others = plan.filter((topic) => topic.name !== 't.enrollment-commands');
    expect(others).toHaveLength(15);
    expect(new Set(others.map((topic) => topic.partitions))).toEqual(new Set([4]));
  });

  it.each([
    // brokers, replication factor, min ISR
    [1, 1, '1'],
    [2, 2, '1'],
    [3, 3, '2'],
    [5, 3, '2'],
  ])(
    'on %i broker(s) replicates each topic %i times with min.insync.replicas %s unless configured',
    (brokers, replicationFactor, minInsync) => {
      const plan = planTopics(configWith(), topics, brokers);
      for (const topic of plan) {
        expect(topic.replicationFactor).toBe(replicationFactor);
        expect(topic.configs['min.insync.replicas']).toBe(minInsync);
      }
      expect(checkPlan(plan, brokers)).toEqual([]);
    },
  );

  it('derives its defaults as min(3, brokers) copies and max(1, min(2, copies - 1)) in sync', () => {
    expect([0, 1, 2, 3, 4, 7].map(defaultReplicationFactor)).toEqual([1, 1, 2, 3, 3, 3]);
    expect([1, 2, 3, 4, 5].map(defaultMinInsyncReplicas)).toEqual([1, 1, 2, 2, 2]);
  });

  it('keeps commands, events, lifecycle and outbound for seven days and dead letters for thirty, compression left to the producer', () => {
    for (const topic of planTopics(configWith(), topics, 3)) {
      const days = topic.topicClass === 'deadLetters' ? 30 : 7;
      expect(topic.configs['retention.ms']).toBe(String(days * DAY_MS));
      expect(topic.configs['compression.type']).toBe('producer');
    }
  });

  it('applies a per-class retention to that class only', () => {
    const plan = planTopics(configWith({ KAFKA_TOPICS_DEAD_LETTERS_RETENTION_MS: '-1' }), topics, 3);
    for (const topic of plan)
      expect(topic.configs['retention.ms']).toBe(
        topic.topicClass === 'deadLetters' ? '-1' : String(7 * DAY_MS),
      );
  });

  it('applies a per-class replication factor, and derives that class’s min ISR from it', () => {
    const plan = planTopics(configWith({ KAFKA_TOPICS_COMMANDS_REPLICATION_FACTOR: '2' }), topics, 5);
    for (const topic of plan) {
      const commands = topic.topicClass === 'commands';
      expect([topic.name, topic.replicationFactor]).toEqual([topic.name, commands ? 2 : 3]);
      expect([topic.name, topic.configs['min.insync.replicas']]).toEqual([topic.name, commands ? '1' : '2']);
    }
  });

  it('applies a per-class min ISR and compression to that class only', () => {
    const plan = planTopics(
      configWith({ KAFKA_TOPICS_EVENTS_MIN_INSYNC_REPLICAS: '3', KAFKA_TOPICS_OUTBOUND_COMPRESSION: 'zstd' }),
      topics,
      3,
    );
    for (const topic of plan) {
      expect([topic.name, topic.configs['min.insync.replicas']]).toEqual([
        topic.name,
        topic.topicClass === 'events' ? '3' : '2',
      ]);
      expect([topic.name, topic.configs['compression.type']]).toEqual([
        topic.name,
        topic.topicClass === 'outbound' ? 'zstd' : 'producer',
      ]);
    }
  });
});

describe('checkPlan', () => {
  it('refuses a replication factor above the number of brokers, naming the variable of the class', () => {
    const plan = planTopics(
      configWith({
        KAFKA_TOPICS_COMMANDS_REPLICATION_FACTOR: '3',
        KAFKA_TOPICS_DEAD_LETTERS_REPLICATION_FACTOR: '2',
      }),
      topics,
      1,
    );
    const findings = checkPlan(plan, 1);
    expect(findings.map((finding) => finding.topic).sort()).toEqual(
      plan
        .filter((topic) => topic.topicClass === 'commands' || topic.topicClass === 'deadLetters')
        .map((topic) => topic.name)
        .sort(),
    );
    expect(findings.every((finding) => finding.severity === 'error')).toBe(true);
    expect(findings.find((finding) => finding.topic === 't.enrollment-commands')?.message).toBe(
      "replication factor 3 (KAFKA_TOPICS_COMMANDS_REPLICATION_FACTOR) exceeds the cluster's 1 broker(s)",
    );
    expect(findings.find((finding) => finding.topic === 't.domain-events.dlq')?.message).toBe(
      "replication factor 2 (KAFKA_TOPICS_DEAD_LETTERS_REPLICATION_FACTOR) exceeds the cluster's 1 broker(s)",
    );
  });

  it('refuses a min ISR above the replication factor: no write could ever succeed', () => {
    const plan = planTopics(configWith({ KAFKA_TOPICS_LIFECYCLE_MIN_INSYNC_REPLICAS: '3' }), topics, 2);
    expect(checkPlan(plan, 2)).toEqual([
      {
        topic: 't.enrollment-lifecycle',
        severity: 'error',
        message: 'min.insync.replicas 3 exceeds the replication factor 2: no write could ever succeed',
      },
    ]);
  });

  it('accepts a min ISR equal to the replication factor', () => {
    const plan = planTopics(configWith({ KAFKA_TOPICS_LIFECYCLE_MIN_INSYNC_REPLICAS: '3' }), topics, 3);
    expect(checkPlan(plan, 3)).toEqual([]);
  });
});

describe('compareWithCluster', () => {
  const plan = planTopics(configWith(), topics, 3);
  const name = 't.enrollment-commands';

  it('finds nothing when every topic is as planned', () => {
    expect(compareWithCluster(plan, clusterAsPlanned(plan), { mayCreate: false })).toEqual([]);
  });

  it('says nothing of a missing topic the engine may create', () => {
    const existing = clusterAsPlanned(plan).filter((topic) => topic.name !== name);
    expect(compareWithCluster(plan, existing, { mayCreate: true })).toEqual([]);
  });

  it('calls a missing topic an error when the engine may not create it', () => {
    const existing = clusterAsPlanned(plan).filter((topic) => topic.name !== name);
    expect(compareWithCluster(plan, existing, { mayCreate: false })).toEqual([
      {
        topic: name,
        severity: 'error',
        message: 'missing, and KAFKA_TOPICS_CREATE=false: create it as planned (npm run topics:plan)',
      },
    ]);
  });

  it.each<[string, Partial<Omit<ExistingTopic, 'name'>>, string]>([
    ['fewer partitions', { partitions: 3 }, '3 partitions, plan 24: at most 3 consumers share its load'],
    ['fewer replicas', { replicationFactor: 2, configs: {} }, 'replication factor 2, plan 3'],
    [
      'a min ISR that lets acks=all succeed on one copy',
      { configs: { 'min.insync.replicas': '1' } },
      'min.insync.replicas 1, plan 2',
    ],
    [
      'a min ISR equal to the replication factor',
      { configs: { 'min.insync.replicas': '3' } },
      'min.insync.replicas 3, plan 2: one broker down stops every write',
    ],
    [
      'a different retention',
      { configs: { 'retention.ms': String(DAY_MS) } },
      `retention.ms ${DAY_MS}, plan ${7 * DAY_MS}`,
    ],
    [
      'a different compression',
      { configs: { 'compression.type': 'gzip' } },
      'compression.type gzip, plan producer',
    ],
  ])('warns of %s, naming the cluster’s value and the plan’s', (_case, changes, message) => {
    expect(compareWithCluster(plan, clusterAsPlanned(plan, name, changes), { mayCreate: true })).toEqual([
      { topic: name, severity: 'warning', message },
    ]);
  });

  it('does not say one broker down stops every write on a topic with a single copy', () => {
    const existing = clusterAsPlanned(plan, name, {
      replicationFactor: 1,
      configs: { 'min.insync.replicas': '1' },
    });
    expect(compareWithCluster(plan, existing, { mayCreate: true }).map((finding) => finding.message)).toEqual(
      ['replication factor 1, plan 3', 'min.insync.replicas 1, plan 2'],
    );
  });

  it('calls an existing topic whose min ISR exceeds its replication factor an error: no write could succeed', () => {
    const existing = clusterAsPlanned(plan, name, {
      replicationFactor: 1,
      configs: { 'min.insync.replicas': '2' },
    });
    const findings = compareWithCluster(plan, existing, { mayCreate: true });
    expect(findings).toContainEqual(
      expect.objectContaining({
        topic: name,
        severity: 'error',
        message: expect.stringContaining('no write could ever succeed'),
      }),
    );
  });

  it('says one broker down stops every write on a topic with two copies and min ISR 2, though that min ISR is the plan’s', () => {
    const existing = clusterAsPlanned(plan, name, {
      replicationFactor: 2,
      configs: { 'min.insync.replicas': '2' },
    });
    const messages = compareWithCluster(plan, existing, { mayCreate: true }).map(
      (finding) => finding.message,
    );
    expect(messages.some((message) => message.includes('one broker down stops every write'))).toBe(true);
  });

  it('reports every difference of one topic', () => {
    const existing = clusterAsPlanned(plan, name, {
      partitions: 6,
      replicationFactor: 1,
      configs: { 'min.insync.replicas': '1', 'retention.ms': '-1', 'compression.type': 'lz4' },
    });
    expect(compareWithCluster(plan, existing, { mayCreate: true }).map((finding) => finding.message)).toEqual(
      [
        '6 partitions, plan 24: at most 6 consumers share its load',
        'replication factor 1, plan 3',
        'min.insync.replicas 1, plan 2',
        `retention.ms -1, plan ${7 * DAY_MS}`,
        'compression.type lz4, plan producer',
      ],
    );
  });

  it('finds nothing in more partitions or replicas than planned, nor in settings the cluster did not report', () => {
    const existing = clusterAsPlanned(plan, name, { partitions: 48, replicationFactor: 4, configs: {} });
    expect(compareWithCluster(plan, existing, { mayCreate: false })).toEqual([]);
  });

  it('ignores topics on the cluster that are not in the plan', () => {
    const existing = [
      ...clusterAsPlanned(plan),
      { name: 'someone-else', partitions: 1, replicationFactor: 1, configs: {} },
    ];
    expect(compareWithCluster(plan, existing, { mayCreate: false })).toEqual([]);
  });
});
