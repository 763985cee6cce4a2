import { randomUUID } from 'node:crypto';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import type {
  ConversationActivity,
  ConversationStatus,
  EnrollmentCommandRecord,
} from '../../libs/contracts/src';
import { ManualClock } from '../../libs/domain/src';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { eventually } from '../support/http-client';
import { TestEnvironment } from '../support/test-environment';

const SECOND = 1_000;

describe('inactivity enrollment (conversation activity → watcher → enrollment)', () => {
  let env: TestEnvironment;
  const clock = new ManualClock(new Date('2026-05-05T12:00:00Z'));
  let accountId: string;
  let sequenceId: string;

  beforeAll(async () => {
    env = await TestEnvironment.create({ INACTIVITY_TICK_MS: '100', INACTIVITY_LOOKBACK_MINUTES: '60' });
    accountId = (await createAccount(env.db)).id;
    sequenceId = (
      await createPublishedSequence(env.db, accountId, {
        targetType: 'conversation',
        triggers: [{ type: 'inactivity', limitMinutes: 1, statuses: ['open', 'pending'] }],
        steps: [{ delayMinutes: 30, channel: 'whatsapp', content: 'Still need help?' }],
      })
    ).id;
    await env.start(enrollmentRole, { clock });
  });

  afterAll(async () => {
    await env?.close();
  });

  const activity = (
    conversationId: string,
    kind: 'message' | 'status_change',
    status: ConversationStatus | null = null,
    time = clock.now().getTime(),
  ) => {
    const value: ConversationActivity = {
      id: randomUUID(),
      accountId,
      contactId: `contact-of-${conversationId}`,
      conversationId,
      kind,
      direction: kind === 'message' ? 'outbound' : null,
      status,
      time,
    };
    return env.producer.send([{ topic: env.topics.conversationActivity, key: conversationId, value }]);
  };
  const recorded = async (conversationId: string) =>
    eventually(async () => {
      const rows: Array<{ last_activity_at: Date }> = await env.db.query(
        `SELECT last_activity_at FROM conversation_activity WHERE conversation_id = $1 AND last_activity_at = $2`,
        [conversationId, clock.now()],
      );
      return rows[0];
    });
  const decisionsFor = async (conversationId: string) =>
    env.db.query<Array<{ reason: string; method: string; target_id: string }>>(
      `SELECT reason, method, target_id FROM enrollment_decisions WHERE target_id = $1`,
      [conversationId],
    );
  /** Lets the watcher tick several times. */
  const ticks = () => new Promise((resolve) => setTimeout(resolve, 800));

  it('enrolls an idle conversation once, never again across a restart; activity or an uncounted status prevents it', async () => {
    let watcher = await env.start(inactivityWatcherRole, { clock });
    await activity('idle-conv', 'status_change', 'open');
    await activity('chatty-conv', 'message');
    await activity('snoozed-conv', 'status_change', 'snoozed');
    await recorded('idle-conv');
    await recorded('chatty-conv');
    await recorded('snoozed-conv');

    clock.advance(40 * SECOND);
    await activity('chatty-conv', 'message'); // resets its clock before the limit
    await recorded('chatty-conv');

    clock.advance(21 * SECOND); // idle-conv and snoozed-conv are now 61 s idle; chatty-conv 21 s
    const [enrolled] = await eventually(async () => {
      const rows = await decisionsFor('idle-conv');
      return rows.length > 0 ? rows : undefined;
    });
    expect(enrolled).toEqual({ reason: 'enrolled', method: 'inactivity', target_id: 'idle-conv' });
    await ticks();
    expect(await decisionsFor('chatty-conv')).toEqual([]);
    expect(await decisionsFor('snoozed-conv')).toEqual([]);

    // A restart re-scans its look-back window: the same command id is decided once, so nothing new.
    await watcher.close();
    watcher = await env.start(inactivityWatcherRole, { clock });
    clock.advance(30 * SECOND);
    await ticks();
    await ticks();
    expect(await decisionsFor('idle-conv')).toHaveLength(1);
    const enrollments: Array<{ n: string }> = await env.db.query(
      `SELECT count(*) AS n FROM enrollments WHERE sequence_id = $1 AND target_id = 'idle-conv'`,
      [sequenceId],
    );
    expect(enrollments[0]!.n).toBe('1');

    // chatty-conv went quiet after its last message: 51 s later it crosses its limit too.
    clock.advance(10 * SECOND);
    await eventually(async () => ((await decisionsFor('chatty-conv')).length === 1 ? true : undefined));
    expect(await decisionsFor('snoozed-conv')).toEqual([]);
    await watcher.close();
  });

  it('enrolls a conversation whose activity arrives after its limit passed, unless newer activity came too', async () => {
    const watcher = await env.start(inactivityWatcherRole, { clock });
    await ticks(); // the detector has read its rules
    const now = clock.now().getTime();
    await activity('late-conv', 'status_change', 'open', now - 5 * 60 * SECOND); // crossed 4 minutes ago
    await activity('late-answered', 'status_change', 'open', now - 5 * 60 * SECOND);
    await activity('late-answered', 'message', null, now); // ...and answered just now
    // Crossed before the watcher's 60-minute look-back: history, not a follow-up.
    await activity('late-ancient', 'status_change', 'open', now - 70 * 60 * SECOND);

    const [enrolled] = await eventually(async () => {
      const rows = await decisionsFor('late-conv');
      return rows.length > 0 ? rows : undefined;
    });
    expect(enrolled).toEqual({ reason: 'enrolled', method: 'inactivity', target_id: 'late-conv' });
    await eventually(async () => {
      const rows: unknown[] = await env.db.query(
        `SELECT 1 FROM conversation_activity WHERE conversation_id IN ('late-answered', 'late-ancient')`,
      );
      return rows.length === 2 ? true : undefined;
    });
    await ticks();
    await ticks();
    expect(await decisionsFor('late-answered')).toEqual([]);
    expect(await decisionsFor('late-ancient')).toEqual([]);
    expect(await decisionsFor('late-conv')).toHaveLength(1);
    await watcher.close();
  });

  it('with two watchers, one scans the windows (one command per crossing); when it stops, the other takes over', async () => {
    const commands = await env.collect<EnrollmentCommandRecord>(env.topics.enrollmentCommands);
    const sentFor = (conversationId: string) =>
      commands.messages.filter((message) =>
        message.value.commandId.startsWith(`inactivity:${conversationId}:`),
      );
    /** The conversation opens, stays quiet past the 1-minute limit, and its crossing is decided. */
    const crossAndDecide = async (conversationId: string) => {
      await activity(conversationId, 'status_change', 'open');
      await recorded(conversationId);
      clock.advance(61 * SECOND);
      await eventually(async () => ((await decisionsFor(conversationId)).length === 1 ? true : undefined));
      await ticks();
    };
    const first = await env.start(inactivityWatcherRole, { clock });
    await ticks(); // the first one leads
    const second = await env.start(inactivityWatcherRole, { clock });

    await crossAndDecide('shared-1');
    expect(sentFor('shared-1')).toHaveLength(1);

    // The leader stops; the other looks back over the last hour, skips what was decided, and scans on.
    await first.close();
    await crossAndDecide('shared-2');
    expect(sentFor('shared-1')).toHaveLength(1);
    expect(sentFor('shared-2')).toHaveLength(1);
    await second.close();
  });
});
