import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import {
  BatchConsumer,
  ok,
  replayDeadLetters,
  type InboundMessage,
  type StreamHandler,
} from '../../libs/kafka/src';
import { createLogger } from '../../libs/observability/src';
import { isPermanentDataError } from '../../libs/persistence/src';
import {
  contactKey,
  dlqTopic,
  emptyProvenance,
  toCommandRecord,
  validateEnrollmentCommand,
  type EnrollmentCommand,
  type EnrollmentLifecycleEvent,
} from '../../libs/contracts/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

describe('bad input on the enrollment-commands topic goes to its DLQ and the partition keeps moving', () => {
  const env = useTestEnvironment();

  it('dead-letters undecodable bytes, unknown schema ids and invalid fields, then decides the next command', async () => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'hello' }],
    });
    const dlq = await env.collect<Buffer>(dlqTopic(env.topics.enrollmentCommands));
    const lifecycle = await env.collect<EnrollmentLifecycleEvent>(env.topics.enrollmentLifecycle);
    await env.start(enrollmentRole);

    // All on one key, hence one partition: the good command after the bad ones proves the lane moves on.
    const key = contactKey(account.id, 'contact-1');
    const unknownSchemaId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3]);
    const invalid = await env.codec.encode(
      env.topics.enrollmentCommands,
      enrollCommand({ accountId: 'not-a-uuid', contactId: 'contact-1', sequenceId: sequence.id }),
    );
    // Valid Avro whose bulk id is no uuid: it would fail the decisions' insert on every retry.
    const badBulk = enrollCommand({
      accountId: account.id,
      contactId: 'contact-1',
      sequenceId: sequence.id,
      method: 'bulk',
      provenance: { ...emptyProvenance(), userId: 'u-1', bulkId: 'bulk-7' },
    });
    const badBulkId = await env.codec.encode(env.topics.enrollmentCommands, badBulk);
    await env.producer.producer.send({
      topic: env.topics.enrollmentCommands,
      messages: [
        { key, value: Buffer.from('{"this":"is not avro"}') },
        { key, value: unknownSchemaId },
        { key, value: invalid },
        { key, value: badBulkId },
      ],
    });
    const good = enrollCommand({ accountId: account.id, contactId: 'contact-1', sequenceId: sequence.id });
    await env.producer.send([{ topic: env.topics.enrollmentCommands, key, value: good }]);

    const letters = await dlq.waitFor(4);
    expect(letters.map((letter) => letter.headers['dlq-reason'])).toEqual([
      'undecodable',
      'undecodable',
      'invalid',
      'invalid',
    ]);
    expect(letters[0]!.headers['dlq-detail']).toMatch(/magic byte/);
    expect(letters[1]!.headers['dlq-detail']).toMatch(/unknown schema id/);
    expect(letters[2]!.headers['dlq-detail']).toMatch(/accountId: Invalid uuid/);
    expect(letters[3]!.headers['dlq-detail']).toMatch(/provenance\.bulkId: Invalid uuid/);
    expect(
      letters.every((letter) => letter.headers['dlq-original-topic'] === env.topics.enrollmentCommands),
    ).toBe(true);
    expect(letters.map((letter) => letter.key)).toEqual([key, key, key, key]);

    const events = await lifecycle.waitFor(2);
    expect(events.map((e) => e.value)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'started', requestId: good.commandId, reason: 'enrolled' }),
        // The invalid command that names its account and request still ends in a decision of its own.
        expect.objectContaining({ type: 'ignored', requestId: badBulk.commandId, reason: 'invalid_request' }),
      ]),
    );
    const decisions: Array<{ request_id: string; reason: string; detail: string | null }> =
      await env.db.query(`SELECT request_id, reason, detail FROM enrollment_decisions`);
    // The one with no valid account id has nowhere to be recorded: it is only in the dead-letter topic.
    expect(decisions).toHaveLength(2);
    expect(decisions).toEqual(
      expect.arrayContaining([
        { request_id: good.commandId, reason: 'enrolled', detail: null },
        {
          request_id: badBulk.commandId,
          reason: 'invalid_request',
          detail: 'provenance.bulkId: Invalid uuid',
        },
      ]),
    );
  });
});

describe('a message the database refuses on every retry is isolated, not retried forever', () => {
  const env = useTestEnvironment();

  it('isolates a message the database refuses however often it is retried, commits the rest, and replays it once fixed', async () => {
    // A handler that stores each command's contact; the table refuses blocked ones (a CHECK constraint).
    await env.db.query(
      `CREATE TABLE poison_probe (request_id text PRIMARY KEY, contact text NOT NULL CONSTRAINT not_blocked CHECK (contact NOT LIKE 'blocked%'))`,
    );
    const handler: StreamHandler<EnrollmentCommand> = {
      name: 'poison-probe',
      validate: validateEnrollmentCommand,
      handle: async (items: ReadonlyArray<InboundMessage<EnrollmentCommand>>) => {
        await env.db.query(
          `INSERT INTO poison_probe SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
          [items.map((i) => i.value.commandId), items.map((i) => i.value.contactId)],
        );
        return items.map(() => ok);
      },
    };
    const topic = env.topics.enrollmentCommands;
    const dlq = await env.collect<Buffer>(dlqTopic(topic));
    const consumer = new BatchConsumer(env.kafka, env.codec, env.producer, createLogger('test', 'error'), {
      groupId: `poison-probe-${Date.now()}`,
      topics: [topic],
      handler,
      isPermanentError: isPermanentDataError,
    });
    const account = await createAccount(env.db);
    const commands = Array.from({ length: 40 }, (_, i) =>
      enrollCommand({
        accountId: account.id,
        contactId: i === 17 ? 'blocked-17' : `contact-${i}`,
        sequenceId: randomUUID(),
      }),
    );
    // One key, one partition, one batch: the poison sits in the middle of its neighbours.
    await env.producer.send(
      commands.map((command) => ({ topic, key: 'one-lane', value: toCommandRecord(command) })),
    );
    void consumer.start();
    try {
      const [letter] = await dlq.waitFor(1);
      expect(letter!.headers['dlq-reason']).toBe('rejected');
      expect(letter!.headers['dlq-detail']).toMatch(/violates check constraint "not_blocked"/);
      const stored = await waitUntil(
        'the 39 good commands stored',
        () => env.db.query<Array<{ request_id: string }>>(`SELECT request_id FROM poison_probe`),
        (rows) => rows.length >= 39,
      );
      expect(new Set(stored.map((r) => r.request_id))).toEqual(
        new Set(commands.filter((_, i) => i !== 17).map((c) => c.commandId)),
      );
      expect(dlq.messages).toHaveLength(1);

      // The cause is fixed (the rule goes); the dead letter goes back to its topic, once.
      await env.db.query(`ALTER TABLE poison_probe DROP CONSTRAINT not_blocked`);
      const replayGroup = `${env.config.CONSUMER_GROUP_PREFIX}dlq-replay`;
      expect(await replayDeadLetters(env.kafka, dlqTopic(topic), replayGroup)).toEqual({
        replayed: { [topic]: 1 },
        skipped: 0,
      });
      const replayed = await waitUntil(
        'the replayed command stored',
        () =>
          env.db.query<Array<{ request_id: string; contact: string }>>(
            `SELECT request_id, contact FROM poison_probe WHERE contact = 'blocked-17'`,
          ),
        (rows) => rows.length > 0,
      );
      expect(replayed).toEqual([{ request_id: commands[17]!.commandId, contact: 'blocked-17' }]);
      expect(await replayDeadLetters(env.kafka, dlqTopic(topic), replayGroup)).toEqual({
        replayed: {},
        skipped: 0,
      });
    } finally {
      await consumer.stop();
    }
  });
});
