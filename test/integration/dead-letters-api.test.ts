import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { contactKey, dlqTopic, emptyProvenance } from '../../libs/contracts/src';
import { createAccount, enrollCommand, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

interface Topics {
  topics: Array<{ topic: string; count: number; pending: number }>;
  complete: boolean;
}
interface Letters {
  items: Array<{
    partition: number;
    offset: string;
    at: string;
    reason: string;
    detail: string;
    originalTopic: string;
    key: string | null;
    valuePreview: string | null;
    replayed: boolean;
  }>;
  complete: boolean;
}

describe('the dead letters API shows, counts and replays only the caller account’s letters', () => {
  const env = useTestEnvironment();
  let mine: HttpClient;
  let theirs: HttpClient;
  let accountId: string;
  let otherId: string;

  beforeAll(async () => {
    await env.start(enrollmentRole);
    const api = await env.start(apiRole);
    accountId = (await createAccount(env.db)).id;
    otherId = (await createAccount(env.db)).id;
    mine = new HttpClient(api, await issueApiKey(env.db, accountId));
    theirs = mine.withKey(await issueApiKey(env.db, otherId));
  });

  it('attributes letters by value or key, lists them newest first, replays mine once, never theirs', async () => {
    const topic = env.topics.enrollmentCommands;
    const dlq = dlqTopic(topic);
    const letters = await env.collect<Buffer>(dlq);
    const back = await env.collect<Buffer>(topic);
    // Mine: undecodable bytes under my contact key, and a decodable command naming me whose bulk id is bad
    // under a key that names nobody. Theirs: undecodable under their key. Nobody's: garbage under a plain key.
    const badBulk = await env.codec.encode(
      topic,
      enrollCommand({
        accountId,
        contactId: 'c-2',
        sequenceId: accountId,
        method: 'bulk',
        provenance: { ...emptyProvenance(), userId: 'u-1', bulkId: 'bulk-7' },
      }),
    );
    await env.producer.producer.send({
      topic,
      messages: [
        { key: contactKey(accountId, 'c-1'), value: Buffer.from('{"mine":"not avro"}') },
        { key: 'one-lane', value: badBulk },
        { key: contactKey(otherId, 'c-1'), value: Buffer.from('{"theirs":"not avro"}') },
        { key: 'nobody', value: Buffer.from('garbage') },
      ],
    });
    const dead = await letters.waitFor(4);
    const accountOf = (key: string | null) => dead.find((l) => l.key === key)?.headers['dlq-account-id'];
    expect([accountOf(contactKey(accountId, 'c-1')), accountOf('one-lane')]).toEqual([accountId, accountId]);
    expect(accountOf(contactKey(otherId, 'c-1'))).toBe(otherId);
    expect(accountOf('nobody')).toBeUndefined();

    const topics = await mine.get<Topics>('/v1/dead-letters');
    expect(topics.status).toBe(200);
    expect(topics.body.complete).toBe(true);
    expect(topics.body.topics.find((t) => t.topic === dlq)).toEqual({ topic: dlq, count: 2, pending: 2 });
    expect(topics.body.topics.every((t) => t.topic.endsWith('.dlq'))).toBe(true);
    expect((await theirs.get<Topics>('/v1/dead-letters')).body.topics.find((t) => t.topic === dlq)).toEqual({
      topic: dlq,
      count: 1,
      pending: 1,
    });

    const listed = await mine.get<Letters>(`/v1/dead-letters/${dlq}?limit=20`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((l) => l.key).sort()).toEqual(
      [contactKey(accountId, 'c-1'), 'one-lane'].sort(),
    );
    expect(listed.body.items.map((l) => l.at)).toEqual(
      [...listed.body.items.map((l) => l.at)].sort().reverse(),
    );
    const undecodable = listed.body.items.find((l) => l.key === contactKey(accountId, 'c-1'));
    expect(undecodable).toMatchObject({
      reason: 'undecodable',
      originalTopic: topic,
      valuePreview: '{"mine":"not avro"}',
      replayed: false,
    });
    expect(listed.body.items.find((l) => l.key === 'one-lane')).toMatchObject({
      reason: 'invalid',
      detail: expect.stringMatching(/bulkId/),
    });
    expect((await mine.get<Letters>(`/v1/dead-letters/${dlq}?limit=1`)).body.items).toHaveLength(1);
    expect(JSON.stringify((await theirs.get<Letters>(`/v1/dead-letters/${dlq}`)).body.items)).not.toContain(
      accountId,
    );
    expect((await mine.get(`/v1/dead-letters/${topic}`)).status).toBe(404);
    expect((await mine.get('/v1/dead-letters/not-a-topic.dlq')).status).toBe(404);

    const replay = await mine.post<{ replayed: Record<string, number>; skipped: number }>(
      `/v1/dead-letters/${dlq}/replay`,
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ replayed: { [topic]: 2 }, skipped: 0 });
    const replayed = await waitUntil(
      'my two letters back on their topic',
      () => back.messages.filter((m) => m.headers['dlq-replayed-from']),
      (found) => found.length >= 2,
    );
    expect(replayed.map((m) => m.key).sort()).toEqual([contactKey(accountId, 'c-1'), 'one-lane'].sort());
    // Still bad, they are dead-lettered again, as new letters: a second replay takes only those two (each
    // letter is replayed once), and theirs stay where they are, for them, not replayed.
    await letters.waitFor(6);
    expect(
      (await mine.post<{ replayed: Record<string, number> }>(`/v1/dead-letters/${dlq}/replay`)).body.replayed,
    ).toEqual({ [topic]: 2 });
    await waitUntil(
      'the second replay back on the topic',
      () => back.messages.filter((m) => m.headers['dlq-replayed-from']),
      (found) => found.length >= 4,
    );
    await back.caughtUp();
    const sources = back.messages.flatMap((m) => m.headers['dlq-replayed-from'] ?? []);
    expect(sources).toHaveLength(4);
    expect(new Set(sources).size).toBe(4);
    expect(
      back.messages.some((m) => m.key === contactKey(otherId, 'c-1') && m.headers['dlq-replayed-from']),
    ).toBe(false);
    const afterwards = await mine.get<Letters>(`/v1/dead-letters/${dlq}`);
    // Offsets are per partition: the letter is the one at its partition and offset.
    const original = afterwards.body.items.filter(
      (l) => l.partition === undecodable?.partition && l.offset === undecodable.offset,
    );
    expect(original.map((l) => l.replayed)).toEqual([true]);
    expect(
      (await theirs.get<Topics>('/v1/dead-letters')).body.topics.find((t) => t.topic === dlq)?.pending,
    ).toBe(1);

    const audit = (
      await mine.get<{ items: Array<{ action: string; target: string; change: unknown }> }>(
        '/v1/account/audit',
      )
    ).body.items;
    // Newest first: each replay's start is written before its first letter is sent, its report once done.
    expect(audit.slice(0, 4).map(({ action, target }) => ({ action, target }))).toEqual([
      { action: 'dead_letters.replayed', target: dlq },
      { action: 'dead_letters.replay_started', target: dlq },
      { action: 'dead_letters.replayed', target: dlq },
      { action: 'dead_letters.replay_started', target: dlq },
    ]);
  });
});
