import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import { dlqTopic, type ConversationActivity, type DomainEvent } from '../../libs/contracts/src';
import { ManualClock } from '../../libs/domain/src';
import { createAccount, createPublishedSequence, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import type { TopicCollector } from '../support/test-environment';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

interface AskedMessage {
  direction: 'inbound' | 'outbound';
  at: string;
  text: string | null;
}
interface AskedQuestion {
  contactId: string;
  eventType: string;
  conversationId: string | null;
  recentMessages: AskedMessage[];
}
interface Decision {
  requestId: string;
  outcome: string;
  reason: string;
  provenance: Record<string, string | null>;
}

/**
 * A local stand-in for the LLM that records every question it is asked; the contact id's first word says how
 * it answers, the hostile ways included.
 */
async function startRecordingLlm(): Promise<{
  server: Server;
  url: string;
  asked: Map<string, AskedQuestion>;
}> {
  const asked = new Map<string, AskedQuestion>();
  const read = async (request: IncomingMessage) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    return JSON.parse(body) as { messages: Array<{ content: string }> };
  };
  const completion = (response: ServerResponse, content: string) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
  };
  const server = createServer((request, response) => {
    void read(request).then((body) => {
      const question = JSON.parse(body.messages[1]!.content) as AskedQuestion;
      asked.set(question.contactId, question);
      const kind = question.contactId.split('-')[0];
      if (kind === 'control') {
        const reason = 'wants\u0000 a call\u001b[2J back\nnext week\u0085 \u202eok';
        completion(response, JSON.stringify({ followUp: true, reason }));
      } else if (kind === 'nonjson') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('I think yes!\u0000');
      } else if (kind === 'huge') {
        completion(response, JSON.stringify({ followUp: true, reason: 'x'.repeat(2 * 1024 * 1024) }));
      } else if (kind === 'error') {
        response.writeHead(500).end('{"error":"overloaded"}');
      } else if (kind === 'badutf8') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0x7b, 0xff, 0x7d]));
      } else if (kind === 'wrongtype') {
        completion(response, JSON.stringify({ followUp: 'yes', reason: ['a', 'list'] }));
      } else {
        completion(response, JSON.stringify({ followUp: true, reason: 'went quiet after the quote' }));
      }
    });
  });
  // A client that stops reading a huge body resets the connection; that is the point, not an error here.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, asked };
}

describe('the Maestro sees the conversation (activity → watcher → gate → decision)', () => {
  let llm: Awaited<ReturnType<typeof startRecordingLlm>> | undefined;
  const clock = new ManualClock(new Date());
  let idleAccount: string;
  let idleSequence: string;
  let eventAccount: string;
  let http: HttpClient;
  let deadLetters: TopicCollector<Buffer>;

  const env = useTestEnvironment(async () => {
    llm = await startRecordingLlm();
    return { MAESTRO_BASE_URL: llm.url, MAESTRO_TIMEOUT_MS: '2500', MAESTRO_BREAKER_FAILURES: '1000' };
  });

  afterAll(() => {
    llm?.server.close();
  });

  beforeAll(async () => {
    idleAccount = (await createAccount(env.db, { maestroEnabled: true })).id;
    idleSequence = (
      await createPublishedSequence(env.db, idleAccount, {
        targetType: 'conversation',
        triggers: [{ type: 'ai', cue: { kind: 'inactivity', limitMinutes: 1, statuses: ['open'] } }],
        steps: [{ delayMinutes: 60, channel: 'whatsapp', content: 'Still thinking it over?' }],
      })
    ).id;
    eventAccount = (await createAccount(env.db, { maestroEnabled: true })).id;
    await createPublishedSequence(env.db, eventAccount, {
      triggers: [{ type: 'ai', cue: { kind: 'event', eventType: 'deal.stalled' } }],
      steps: [{ delayMinutes: 60, channel: 'email', content: 'Shall we pick this up again?' }],
    });
    deadLetters = await env.collect<Buffer>(dlqTopic(env.topics.enrollmentCommands));
    await env.start(enrollmentRole);
    await env.start(triggerRouterRole);
    await env.start(inactivityWatcherRole, {
      clock,
      config: { INACTIVITY_TICK_MS: '100', INACTIVITY_LOOKBACK_MINUTES: '5' },
    });
    http = new HttpClient(await env.start(apiRole), await issueApiKey(env.db, idleAccount));
  });

  const message = (
    accountId: string,
    conversationId: string,
    contactId: string,
    fields: { id: string; direction: 'inbound' | 'outbound'; time: number; text: string | null },
  ): ConversationActivity => ({
    accountId,
    conversationId,
    contactId,
    kind: 'message',
    status: null,
    ...fields,
  });
  const sendActivity = async (activity: ConversationActivity[]) => {
    await env.producer.send(
      activity.map((value) => ({ topic: env.topics.conversationActivity, key: value.conversationId, value })),
    );
    await env.drained([inactivityWatcherRole]);
  };
  const storedMessages = async (accountId: string, conversationId: string) =>
    (
      await env.db.query<Array<{ recent_messages: Array<{ id: string; text: string | null }> }>>(
        `SELECT recent_messages FROM conversation_activity WHERE account_id = $1 AND conversation_id = $2`,
        [accountId, conversationId],
      )
    )[0]?.recent_messages;
  const decisionsOf = async (accountId: string, contactIds: string[]) => {
    const rows: Array<{ contact_id: string; reason: string; provenance: Record<string, string> }> =
      await env.db.query(
        `SELECT contact_id, reason, provenance FROM enrollment_decisions
          WHERE account_id = $1 AND contact_id = ANY($2)`,
        [accountId, contactIds],
      );
    return new Map(rows.map((row) => [row.contact_id, row]));
  };
  const askedOf = (contactId: string) => {
    const question = llm?.asked.get(contactId);
    if (!question) throw new Error(`the Maestro was not asked about ${contactId}`);
    return question;
  };

  it('keeps the last five messages of a conversation by time, each once, whatever order they arrive in', async () => {
    const conversationId = 'conv-idle';
    const base = clock.now().getTime() - 8_000;
    const m = (i: number, text: string | null = `message ${i}`) =>
      message(idleAccount, conversationId, 'yes-idle', {
        id: `act-idle-${i}`,
        direction: i % 2 === 0 ? 'outbound' : 'inbound',
        time: base + i * 1_000,
        text,
      });
    // First the newest and a few old ones, then the middle ones late, a redelivered one, and one older than all.
    await sendActivity([m(7), m(2), m(5, 'line one\nline two'), m(1)]);
    await sendActivity([m(3), m(6, 'long '.repeat(400)), m(4, null), m(5, 'line one\nline two'), m(0)]);
    const stored = await storedMessages(idleAccount, conversationId);
    expect(stored?.map((kept) => kept.id)).toEqual([3, 4, 5, 6, 7].map((i) => `act-idle-${i}`));
    expect(stored?.[3]?.text).toHaveLength(500);
  });

  it('an AI trigger cued by inactivity asks with the recent messages and keeps the question and answer with the decision', async () => {
    clock.advance(61_000);
    const decision = await waitUntil('the decision of yes-idle', async () =>
      (await decisionsOf(idleAccount, ['yes-idle'])).get('yes-idle'),
    );
    const asked = askedOf('yes-idle');
    expect(asked.eventType).toBe('conversation.inactive');
    expect(
      asked.recentMessages.map((sent) => [
        sent.direction,
        sent.text === null ? null : sent.text.slice(0, 17),
      ]),
    ).toEqual([
      ['inbound', 'message 3'],
      ['outbound', null],
      ['inbound', 'line one\nline two'],
      ['outbound', 'long long long lo'],
      ['inbound', 'message 7'],
    ]);
    expect(asked.recentMessages.every((sent) => !Number.isNaN(Date.parse(sent.at)))).toBe(true);
    expect(decision.reason).toBe('enrolled');

    // The same decision through the API: the answer, and the question as the Maestro saw it.
    const requestId = `inactivity:conv-idle:${idleSequence}`;
    const response = await http.get<Decision>(`/v1/decisions/${encodeURIComponent(requestId)}`);
    expect(response.status).toBe(200);
    expect(response.body.provenance).toMatchObject({
      maestroVerdict: 'yes',
      maestroReason: 'went quiet after the quote',
    });
    expect(JSON.parse(response.body.provenance.maestroQuestion ?? '')).toEqual({
      eventType: 'conversation.inactive',
      conversationId: 'conv-idle',
      recentMessages: asked.recentMessages,
    });
  });

  const event = (contactId: string, conversationId: string | null): DomainEvent => ({
    id: randomUUID(),
    source: 'crm',
    type: 'deal.stalled',
    time: Date.now(),
    subject: null,
    accountId: eventAccount,
    contactId,
    entities: { conversationId, dealId: null, appointmentId: null, chargeId: null },
    data: { stage: 'proposal' },
  });
  const publishEvents = (events: DomainEvent[]) =>
    env.producer.send(events.map((value) => ({ topic: env.topics.domainEvents, key: value.id, value })));

  it('an event-cued AI trigger asks with the messages of the conversation the event names, when tracked', async () => {
    await sendActivity([
      message(eventAccount, 'conv-deal', 'yes-deal', {
        id: 'act-deal-1',
        direction: 'outbound',
        time: Date.now() - 2_000,
        text: 'Here is the proposal.',
      }),
      message(eventAccount, 'conv-deal', 'yes-deal', {
        id: 'act-deal-2',
        direction: 'inbound',
        time: Date.now() - 1_000,
        text: 'Let me check with my boss.',
      }),
    ]);
    await publishEvents([event('yes-deal', 'conv-deal'), event('yes-untracked', 'conv-unknown')]);
    const decisions = await waitUntil(
      'decisions of yes-deal and yes-untracked',
      () => decisionsOf(eventAccount, ['yes-deal', 'yes-untracked']),
      (found) => found.size === 2,
    );
    expect(askedOf('yes-deal')).toMatchObject({
      eventType: 'deal.stalled',
      conversationId: 'conv-deal',
      recentMessages: [
        { direction: 'outbound', text: 'Here is the proposal.' },
        { direction: 'inbound', text: 'Let me check with my boss.' },
      ],
    });
    expect(askedOf('yes-untracked').recentMessages).toEqual([]);
    const kept = JSON.parse(decisions.get('yes-deal')!.provenance.maestroQuestion!) as AskedQuestion;
    expect(kept.recentMessages).toEqual(askedOf('yes-deal').recentMessages);
    expect(decisions.get('yes-deal')).toMatchObject({
      reason: 'enrolled',
      provenance: { maestroVerdict: 'yes' },
    });
  });

  it('hostile and broken answers each still end in an enrollment with the verdict recorded, and no dead letter', async () => {
    const contacts = ['control-1', 'nonjson-1', 'huge-1', 'error-1', 'badutf8-1', 'wrongtype-1'];
    await publishEvents(contacts.map((contactId) => event(contactId, 'conv-deal')));
    const decisions = await waitUntil(
      `decisions of ${contacts.join(', ')}`,
      () => decisionsOf(eventAccount, contacts),
      (found) => found.size === contacts.length,
    );
    const outcome = (contactId: string) => {
      const decided = decisions.get(contactId)!;
      return [decided.reason, decided.provenance.maestroVerdict];
    };
    expect(Object.fromEntries(contacts.map((contactId) => [contactId, outcome(contactId)]))).toEqual({
      'control-1': ['enrolled', 'yes'],
      'nonjson-1': ['enrolled_maestro_unavailable', 'unavailable'],
      'huge-1': ['enrolled_maestro_unavailable', 'unavailable'],
      'error-1': ['enrolled_maestro_unavailable', 'unavailable'],
      'badutf8-1': ['enrolled_maestro_unavailable', 'unavailable'],
      'wrongtype-1': ['enrolled_maestro_unavailable', 'unavailable'],
    });
    expect(decisions.get('control-1')!.provenance.maestroReason).toBe('wants a call [2J back next week ok');
    expect(decisions.get('nonjson-1')!.provenance.maestroReason).toMatch(/not JSON/);
    expect(decisions.get('huge-1')!.provenance.maestroReason).toMatch(/over the 65536/);
    expect(decisions.get('error-1')!.provenance.maestroReason).toMatch(/HTTP 500/);
    expect(decisions.get('badutf8-1')!.provenance.maestroReason).toMatch(/not UTF-8/);
    const enrolled = await env.db.query<Array<{ contact_id: string }>>(
      `SELECT contact_id FROM enrollments WHERE account_id = $1 AND contact_id = ANY($2) AND state = 'active'`,
      [eventAccount, contacts],
    );
    expect(enrolled.map((row) => row.contact_id).sort()).toEqual([...contacts].sort());
    await env.drained([triggerRouterRole, enrollmentRole]);
    expect(await deadLetters.caughtUp()).toEqual([]);
  });
});
