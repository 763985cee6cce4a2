import type { ConversationKey, RecentMessage, TrackedConversation } from '@cadence/domain';
import type { ConversationActivityRepository } from '@cadence/persistence';
import { RecentMessagesLoader } from './recent-messages.loader';

const hello: RecentMessage = { id: 'm1', direction: 'inbound', at: 1, text: 'hello' };

/** The repository's `find`, counting its calls. */
function trackedConversations(rows: TrackedConversation[]) {
  const calls: ConversationKey[][] = [];
  const repository = {
    find: (keys: readonly ConversationKey[]) => {
      calls.push([...keys]);
      return Promise.resolve(
        rows.filter((row) =>
          keys.some((k) => k.accountId === row.accountId && k.conversationId === row.conversationId),
        ),
      );
    },
  };
  return { calls, repository: repository as unknown as ConversationActivityRepository };
}

describe('RecentMessagesLoader', () => {
  const tracked: TrackedConversation = {
    accountId: 'a',
    conversationId: 'cv-1',
    contactId: 'c',
    status: 'open',
    lastActivityAt: new Date(1),
    recentMessages: [hello],
  };

  it('answers every request of one synchronous run with one query, each key once', async () => {
    const { calls, repository } = trackedConversations([tracked]);
    const loader = new RecentMessagesLoader(repository);
    const answers = await Promise.all([
      loader.recentMessages({ accountId: 'a', conversationId: 'cv-1' }),
      loader.recentMessages({ accountId: 'a', conversationId: 'cv-unknown' }),
      loader.recentMessages({ accountId: 'a', conversationId: 'cv-1' }),
    ]);
    expect(answers).toEqual([[hello], [], [hello]]);
    expect(calls).toEqual([
      [
        { accountId: 'a', conversationId: 'cv-1' },
        { accountId: 'a', conversationId: 'cv-unknown' },
      ],
    ]);
  });

  it('queries again for the next run', async () => {
    const { calls, repository } = trackedConversations([tracked]);
    const loader = new RecentMessagesLoader(repository);
    await loader.recentMessages({ accountId: 'a', conversationId: 'cv-1' });
    await loader.recentMessages({ accountId: 'a', conversationId: 'cv-1' });
    expect(calls).toHaveLength(2);
  });

  it('fails every request of the run when the query fails, so that the batch is retried', async () => {
    const failing = {
      find: () => Promise.reject(new Error('connection terminated')),
    } as unknown as ConversationActivityRepository;
    const loader = new RecentMessagesLoader(failing);
    const requests = [
      loader.recentMessages({ accountId: 'a', conversationId: 'cv-1' }),
      loader.recentMessages({ accountId: 'a', conversationId: 'cv-2' }),
    ];
    for (const request of requests) await expect(request).rejects.toThrow('connection terminated');
  });
});
