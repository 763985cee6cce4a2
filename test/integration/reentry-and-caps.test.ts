import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { cancelCommand, contactKey, toCommandRecord, type EnrollCommand } from '../../libs/contracts/src';
import { ManualClock, type ReentryPolicy } from '../../libs/domain/src';
import { createAccount, createPublishedSequence, enrollCommand } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const MINUTE = 60_000;

describe('re-entry policies and the daily cap (enrollment app against Postgres and Kafka)', () => {
  const env = useTestEnvironment();
  const clock = new ManualClock(new Date('2026-06-01T15:00:00Z'));

  beforeAll(async () => {
    await env.start(enrollmentRole, { clock });
  });

  const steps = [{ delayMinutes: 60, channel: 'sms' as const, content: 'hello' }];
  const reasonOf = async (accountId: string, requestId: string) =>
    (
      await waitUntil(
        `the decision of ${requestId}`,
        () =>
          env.db.query<Array<{ reason: string; enrollment_id: string | null }>>(
            `SELECT reason, enrollment_id FROM enrollment_decisions WHERE account_id = $1 AND request_id = $2`,
            [accountId, requestId],
          ),
        (rows) => rows.length === 1,
      )
    )[0];
  const enrollAndDecide = async (accountId: string, sequenceId: string) => {
    const command = enrollCommand({
      accountId,
      contactId: 'ana',
      sequenceId,
      requestedAt: clock.now().getTime(),
    });
    await env.sendCommands([command]);
    return reasonOf(accountId, command.commandId);
  };
  const cancel = async (accountId: string, enrollmentId: string) => {
    await env.sendCommands([
      cancelCommand({
        commandId: randomUUID(),
        accountId,
        contactId: 'ana',
        requestedAt: clock.now().getTime(),
        enrollmentId,
      }),
    ]);
    await waitUntil(
      'the cancel',
      () =>
        env.db.query<Array<{ state: string }>>(`SELECT state FROM enrollments WHERE id = $1`, [enrollmentId]),
      (rows) => rows[0]?.state === 'cancelled',
    );
  };
  const sequenceWith = async (reentry: ReentryPolicy) => {
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, { steps, reentry });
    return { accountId: account.id, sequenceId: sequence.id };
  };

  it('"never": a contact whose enrollment ended may not enter the sequence again', async () => {
    const { accountId, sequenceId } = await sequenceWith({ policy: 'never' });
    const first = await enrollAndDecide(accountId, sequenceId);
    expect(first?.reason).toBe('enrolled');
    await cancel(accountId, first?.enrollment_id ?? '');
    clock.advance(365 * 24 * 60 * MINUTE);
    expect((await enrollAndDecide(accountId, sequenceId))?.reason).toBe('reentry_not_allowed');
  });

  it('"cooldown": refused until the cooldown passed since the last enrollment ended, then enrolled', async () => {
    const { accountId, sequenceId } = await sequenceWith({ policy: 'cooldown', cooldownMinutes: 30 });
    const first = await enrollAndDecide(accountId, sequenceId);
    await cancel(accountId, first?.enrollment_id ?? '');
    clock.advance(29 * MINUTE);
    expect((await enrollAndDecide(accountId, sequenceId))?.reason).toBe('reentry_cooldown');
    clock.advance(1 * MINUTE);
    expect((await enrollAndDecide(accountId, sequenceId))?.reason).toBe('enrolled');
  });

  it('"always" (the default): enrolled again as soon as the last enrollment ended, still never twice live', async () => {
    const { accountId, sequenceId } = await sequenceWith({ policy: 'always' });
    const first = await enrollAndDecide(accountId, sequenceId);
    expect((await enrollAndDecide(accountId, sequenceId))?.reason).toBe('duplicate');
    await cancel(accountId, first?.enrollment_id ?? '');
    expect((await enrollAndDecide(accountId, sequenceId))?.reason).toBe('enrolled');
  });

  it('the daily cap holds exactly across both lanes, and opens again the next local day', async () => {
    clock.set(new Date('2026-06-01T15:00:00Z')); // noon in São Paulo (the tests above moved the clock)
    const account = await createAccount(env.db, {
      automationModuleEnabled: true,
      timeZone: 'America/Sao_Paulo',
    });
    const sequence = await createPublishedSequence(env.db, account.id, { steps, dailyCap: 7 });
    const command = (contactId: string, method: 'api' | 'automation'): EnrollCommand =>
      enrollCommand({
        accountId: account.id,
        contactId,
        sequenceId: sequence.id,
        method,
        requestedAt: clock.now().getTime(),
      });
    const api = Array.from({ length: 10 }, (_, i) => command(`api-${i}`, 'api'));
    const automation = Array.from({ length: 10 }, (_, i) => command(`auto-${i}`, 'automation'));
    // The two topics are consumed in parallel: both lanes decide batches for the same capped sequence at once.
    await Promise.all([
      env.sendCommands(api),
      env.producer.send(
        automation.map((c) => ({
          topic: env.topics.automationCommands,
          key: contactKey(c.accountId, c.contactId),
          value: toCommandRecord(c),
        })),
      ),
    ]);
    const reasons = await waitUntil(
      'twenty decisions',
      () =>
        env.db.query<Array<{ reason: string }>>(
          `SELECT reason FROM enrollment_decisions WHERE account_id = $1`,
          [account.id],
        ),
      (rows) => rows.length === 20,
    );
    const count = (reason: string) => reasons.filter((r) => r.reason === reason).length;
    expect([count('enrolled'), count('daily_cap_reached')]).toEqual([7, 13]);

    // 02:30 UTC the next day is still June 1st in São Paulo (UTC−3); 03:30 UTC is June 2nd there.
    clock.set(new Date('2026-06-02T02:30:00Z'));
    expect((await reasonOf(account.id, await sendOne(command('late-1', 'api'))))?.reason).toBe(
      'daily_cap_reached',
    );
    clock.set(new Date('2026-06-02T03:30:00Z'));
    expect((await reasonOf(account.id, await sendOne(command('next-day', 'api'))))?.reason).toBe('enrolled');
  });

  const sendOne = async (command: EnrollCommand): Promise<string> => {
    // The command is built before the clock moved; its decision is made at the clock's time.
    await env.sendCommands([command]);
    return command.commandId;
  };
});
