import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../apps/step-runner/src/step-runner-app.module';
import type { OutboundMessageCommand } from '../../libs/contracts/src';
import { ManualClock, sequenceDefinitionSchema } from '../../libs/domain/src';
import { SequencesRepository } from '../../libs/persistence/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const steps = (version: string) => [
  { delayMinutes: 0, channel: 'sms' as const, content: `${version}: first` },
  { delayMinutes: 1, channel: 'sms' as const, content: `${version}: second` },
];

describe('version pinning', () => {
  const env = useTestEnvironment();

  it('enrollments made under version 1 keep running version 1 after version 2 is published', async () => {
    const clock = new ManualClock(new Date());
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, { steps: steps('v1') });
    const sms = await env.collect<OutboundMessageCommand>(env.topics.outbound.sms);
    await env.start(enrollmentRole, { clock });
    await env.start(stepRunnerRole, { clock });
    const enroll = async (contactId: string) => {
      const command = enrollCommand({ accountId: account.id, contactId, sequenceId: sequence.id });
      await env.sendCommands([command]);
    };

    await enroll('early');
    await sms.waitFor(1);

    const sequences = new SequencesRepository(env.db);
    const v2 = sequenceDefinitionSchema.parse({ targetType: 'contact', steps: steps('v2') });
    await sequences.updateDraft(account.id, sequence.id, 'test sequence', v2);
    expect(await sequences.publish(account.id, sequence.id)).toBe(2);

    await enroll('late');
    await sms.waitFor(2);
    clock.advance(61_000);
    const sent = await sms.waitFor(4);

    const contents = (contactId: string) =>
      sent
        .filter((m) => m.value.contactId === contactId)
        .map((m) => [m.value.sequenceVersion, m.value.content]);
    expect(contents('early')).toEqual([
      [1, 'v1: first'],
      [1, 'v1: second'],
    ]);
    expect(contents('late')).toEqual([
      [2, 'v2: first'],
      [2, 'v2: second'],
    ]);
    // The step-runner's transaction commits just after the broker has the command.
    const rows = await waitUntil(
      'both enrollments completed',
      () =>
        env.db.query<Array<{ contact_id: string; sequence_version: number; state: string }>>(
          `SELECT contact_id, sequence_version, state FROM enrollments ORDER BY contact_id`,
        ),
      (found) => found.every((row) => row.state === 'completed'),
    );
    expect(rows).toEqual([
      { contact_id: 'early', sequence_version: 1, state: 'completed' },
      { contact_id: 'late', sequence_version: 2, state: 'completed' },
    ]);
  });
});
