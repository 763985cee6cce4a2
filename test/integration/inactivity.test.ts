import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { InactivityDetectorWorker } from '../../apps/inactivity-watcher/src/inactivity-detector.worker';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import type {
  ConversationActivity,
  ConversationStatus,
  EnrollmentCommandRecord,
} from '../../libs/contracts/src';
import { ManualClock } from '../../libs/domain/src';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const SECOND = 1_000;

describe('inactivity enrollment (conversation activity → watcher → enrollment)', () => {
  // The watchers never tick on their own here (an hour apart): each test ticks them under its manual clock,
  // so it knows exactly which scans have run.
  const env = useTestEnvironment({ INACTIVITY_TICK_MS: '3600000', INACTIVITY_LOOKBACK_MINUTES: '60' });
  const clock = new ManualClock(new Date('2026-05-05T12:00:00Z'));
  let accountId: string;
  let sequenceId: string;

  beforeAll(async () => {
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
    waitUntil(`the activity of ${conversationId} at ${clock.now().toISOString()} recorded`, async () => {
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
  const decided = (conversationId: string, count = 1) =>
    waitUntil(
      `${count} decision(s) for ${conversationId}`,
      () => decisionsFor(conversationId),
      (rows) => rows.length >= count,
    );
  /** One scan of each watcher, in turn, under the manual clock (its commands are sent when it returns). */
  const tick = async (...watchers: INestApplication[]) => {
    for (const watcher of watchers) await watcher.get(InactivityDetectorWorker).tick();
  };
  /**
   * Barrier: the watchers have handled every activity sent (their consumer group committed it), so the
   * database and the late-arrival queues hold it.
   */
  const activityHandled = () => env.drained([inactivityWatcherRole]);
  /** Barrier: every enroll command sent so far is decided. */
  const commandsDecided = () => env.drained([enrollmentRole]);

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
    await activityHandled();
    await tick(watcher);
    const [enrolled] = await decided('idle-conv');
    expect(enrolled).toEqual({ reason: 'enrolled', method: 'inactivity', target_id: 'idle-conv' });
    await tick(watcher);
    await commandsDecided();
    expect(await decisionsFor('chatty-conv')).toEqual([]);
    expect(await decisionsFor('snoozed-conv')).toEqual([]);

    // A restart re-scans its look-back window: the same command id is decided once, so nothing new.
    await watcher.close();
    watcher = await env.start(inactivityWatcherRole, { clock });
    clock.advance(30 * SECOND);
    await tick(watcher);
    await tick(watcher);
    await commandsDecided();
    expect(await decisionsFor('idle-conv')).toHaveLength(1);
    const enrollments: Array<{ n: string }> = await env.db.query(
      `SELECT count(*) AS n FROM enrollments WHERE sequence_id = $1 AND target_id = 'idle-conv'`,
      [sequenceId],
    );
    expect(enrollments[0]!.n).toBe('1');

    // chatty-conv went quiet after its last message: 51 s later it crosses its limit too.
    clock.advance(10 * SECOND);
    await tick(watcher);
    await decided('chatty-conv');
    await commandsDecided();
    expect(await decisionsFor('chatty-conv')).toHaveLength(1);
    expect(await decisionsFor('snoozed-conv')).toEqual([]);
    await watcher.close();
  });

  it('enrolls a conversation whose activity arrives after its limit passed, unless newer activity came too', async () => {
    const watcher = await env.start(inactivityWatcherRole, { clock });
    await tick(watcher); // the detector has read its rules and scanned up to now
    const now = clock.now().getTime();
    await activity('late-conv', 'status_change', 'open', now - 5 * 60 * SECOND); // crossed 4 minutes ago
    await activity('late-answered', 'status_change', 'open', now - 5 * 60 * SECOND);
    await activity('late-answered', 'message', null, now); // ...and answered just now
    // Crossed before the watcher's 60-minute look-back: history, not a follow-up.
    await activity('late-ancient', 'status_change', 'open', now - 70 * 60 * SECOND);

    await activityHandled(); // the late arrivals are queued for the next tick
    await tick(watcher);
    const [enrolled] = await decided('late-conv');
    expect(enrolled).toEqual({ reason: 'enrolled', method: 'inactivity', target_id: 'late-conv' });
    const rows: unknown[] = await env.db.query(
      `SELECT 1 FROM conversation_activity WHERE conversation_id IN ('late-answered', 'late-ancient')`,
    );
    expect(rows).toHaveLength(2);
    await tick(watcher);
    await commandsDecided();
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
    /**
     * The conversation opens, stays quiet past the 1-minute limit, every running watcher scans (twice), and
     * its crossing is decided; then the collector has read every command sent.
     */
    const crossAndDecide = async (conversationId: string, watchers: INestApplication[]) => {
      await activity(conversationId, 'status_change', 'open');
      await recorded(conversationId);
      await activityHandled();
      clock.advance(61 * SECOND);
      await tick(...watchers);
      await decided(conversationId);
      await tick(...watchers);
      await commandsDecided();
      expect(await decisionsFor(conversationId)).toHaveLength(1);
      await commands.caughtUp();
    };
    const first = await env.start(inactivityWatcherRole, { clock });
    await tick(first); // the first one leads
    const second = await env.start(inactivityWatcherRole, { clock });

    await crossAndDecide('shared-1', [first, second]);
    expect(sentFor('shared-1')).toHaveLength(1);

    // The leader stops; the other looks back over the last hour, skips what was decided, and scans on.
    await first.close();
    await crossAndDecide('shared-2', [second]);
    expect(sentFor('shared-1')).toHaveLength(1);
    expect(sentFor('shared-2')).toHaveLength(1);
    await second.close();
  });
});
