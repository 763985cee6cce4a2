import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import {
  contactKey,
  dlqTopic,
  emptyProvenance,
  type EnrollmentLifecycleEvent,
} from '../../libs/contracts/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { TestEnvironment } from '../support/test-environment';

describe('bad input on the enrollment-commands topic goes to its DLQ and the partition keeps moving', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create();
  });

  afterAll(async () => {
    await env?.close();
  });

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
    const badBulkId = await env.codec.encode(
      env.topics.enrollmentCommands,
      enrollCommand({
        accountId: account.id,
        contactId: 'contact-1',
        sequenceId: sequence.id,
        method: 'bulk',
        provenance: { ...emptyProvenance(), userId: 'u-1', bulkId: 'bulk-7' },
      }),
    );
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

    const [started] = await lifecycle.waitFor(1);
    expect(started!.value).toMatchObject({ type: 'started', requestId: good.commandId, reason: 'enrolled' });
    const decisions: Array<{ request_id: string }> = await env.db.query(
      `SELECT request_id FROM enrollment_decisions`,
    );
    expect(decisions).toEqual([{ request_id: good.commandId }]);
  });
});
