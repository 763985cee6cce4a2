import { LateActivityQueue } from './late-activity.queue';

const MINUTE = 60_000;
const now = new Date('2026-05-05T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);

describe('LateActivityQueue', () => {
  it('takes nothing as late before the detector has read its rules (its first look-back covers that time)', () => {
    const range = new LateActivityQueue().lateRange(now);
    expect(range.from).toEqual(range.to);
  });

  it('counts as late what is at least the shortest limit old and within the look-back plus the longest limit', () => {
    const queue = new LateActivityQueue();
    queue.watch(24 * 60 * MINUTE, 90 * MINUTE);
    expect(queue.lateRange(now)).toEqual({ from: ago(24 * 60 + 90), to: ago(1) });
  });

  it('holds each conversation once and keeps what was not settled', () => {
    const queue = new LateActivityQueue();
    const a = { accountId: 'acct', conversationId: 'a' };
    const b = { accountId: 'acct', conversationId: 'b' };
    queue.add([a, b, { ...a }]);
    expect(queue.peek()).toEqual([a, b]);
    queue.settle([a]);
    expect(queue.peek()).toEqual([b]);
  });
});
