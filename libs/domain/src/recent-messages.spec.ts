import type { ConversationActivity } from '@cadence/contracts';
import { truncateText } from './bounded-text';
import {
  RECENT_MESSAGE_TEXT_MAX,
  mergeRecentMessages,
  recentMessageOf,
  type RecentMessage,
} from './recent-messages';

const message = (id: string, at: number, text: string | null = `text ${id}`): RecentMessage => ({
  id,
  direction: 'inbound',
  at,
  text,
});
const ids = (messages: readonly RecentMessage[]) => messages.map((m) => m.id);

describe('recent messages of a conversation', () => {
  it('keeps the newest five, oldest first', () => {
    const merged = mergeRecentMessages(
      [message('a', 1), message('b', 2), message('c', 3)],
      [message('d', 4), message('e', 5), message('f', 6)],
    );
    expect(ids(merged)).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('puts a late message in its place by time, whatever order the activity arrived in', () => {
    const merged = mergeRecentMessages([message('a', 10), message('c', 30)], [message('b', 20)]);
    expect(ids(merged)).toEqual(['a', 'b', 'c']);
    expect(ids(mergeRecentMessages([], [message('c', 30), message('a', 10), message('b', 20)]))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('drops a late message older than all five kept', () => {
    const full = [1, 2, 3, 4, 5].map((at) => message(`m${at}`, at * 10));
    expect(mergeRecentMessages(full, [message('old', 5)])).toEqual(full);
  });

  it('keeps a redelivered activity once, the copy known first', () => {
    const known = [message('a', 1, 'first copy')];
    const merged = mergeRecentMessages(known, [message('a', 1, 'second copy'), message('a', 1)]);
    expect(merged).toEqual(known);
  });

  it('orders messages of the same millisecond by id, as the upsert does', () => {
    expect(ids(mergeRecentMessages([message('y', 7)], [message('x', 7)]))).toEqual(['x', 'y']);
  });

  it('records a message bounded to the kept text length and no status change', () => {
    const activity: ConversationActivity = {
      id: 'act-1',
      accountId: 'acc',
      contactId: 'c',
      conversationId: 'cv',
      kind: 'message',
      direction: 'outbound',
      status: null,
      time: 1_000,
      text: 'y'.repeat(2_000),
    };
    expect(recentMessageOf(activity)).toEqual({
      id: 'act-1',
      direction: 'outbound',
      at: 1_000,
      text: 'y'.repeat(RECENT_MESSAGE_TEXT_MAX),
    });
    expect(recentMessageOf({ ...activity, text: undefined })?.text).toBeNull();
    expect(
      recentMessageOf({ ...activity, kind: 'status_change', direction: null, status: 'open' }),
    ).toBeNull();
  });
});

describe('truncateText', () => {
  it('cuts at the bound but never through a surrogate pair', () => {
    expect(truncateText('abcdef', 3)).toBe('abc');
    expect(truncateText('ab', 3)).toBe('ab');
    // '😀' is two code units: cutting after its first would leave a lone surrogate.
    expect(truncateText('ab😀', 3)).toBe('ab');
    expect(truncateText('ab😀', 4)).toBe('ab😀');
  });
});
