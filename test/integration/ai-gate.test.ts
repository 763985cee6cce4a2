import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { SequenceTriggerIndex } from '../../apps/trigger-router/src/sequence-trigger-index';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import type { ConversationActivity, DomainEvent } from '../../libs/contracts/src';
import { ManualClock } from '../../libs/domain/src';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

const TIMEOUT_MS = 2_500;

/** A local stand-in for the LLM's chat-completions endpoint; the contact id says how it behaves. */
async function startFakeLlm(): Promise<{ server: Server; url: string }> {
  const read = async (request: IncomingMessage) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    return JSON.parse(body) as { messages: Array<{ content: string }> };
  };
  const server = createServer((request, response) => {
    void read(request).then(async (body) => {
      const question = JSON.parse(body.messages[1]!.content) as { contactId: string };
      const answer = (content: string) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      };
      const kind = question.contactId.split('-')[0];
      // Not synchronization: this fake Maestro answers late on purpose, past the gate's timeout.
      if (kind === 'slow') await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2.5));
      if (kind === 'error') {
        response.writeHead(500).end('{"error":"overloaded"}');
      } else if (kind === 'garbage') {
        answer('sure, why not!');
      } else if (kind === 'no') {
        answer(JSON.stringify({ followUp: false, reason: 'already purchased yesterday' }));
      } else {
        answer(JSON.stringify({ followUp: true, reason: 'asked about pricing and went quiet' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

describe('the AI gate (trigger-router → Maestro over HTTP → enrollment)', () => {
  let llm: { server: Server; url: string } | undefined;
  let accountId: string;
  let router: INestApplication;

  const env = useTestEnvironment(async () => {
    llm = await startFakeLlm();
    return {
      MAESTRO_BASE_URL: llm.url,
      MAESTRO_TIMEOUT_MS: String(TIMEOUT_MS),
      MAESTRO_BREAKER_FAILURES: '1000',
    };
  });

  afterAll(() => {
    llm?.server.close();
  });

  beforeAll(async () => {
    accountId = (await createAccount(env.db, { maestroEnabled: true })).id;
    await createPublishedSequence(env.db, accountId, {
      triggers: [{ type: 'ai', cue: { kind: 'event', eventType: 'conversation.idle' } }],
      steps: [{ delayMinutes: 60, channel: 'whatsapp', content: 'Can I help?' }],
    });
    await env.start(enrollmentRole);
    router = await env.start(triggerRouterRole);
  });

  const event = (account: string, contactId: string): DomainEvent => ({
    id: randomUUID(),
    source: 'inbox',
    type: 'conversation.idle',
    time: Date.now(),
    subject: null,
    accountId: account,
    contactId,
    entities: { conversationId: `conv-${contactId}`, dealId: null, appointmentId: null, chargeId: null },
    data: {},
  });
  const publish = (events: DomainEvent[]) =>
    env.producer.send(events.map((value) => ({ topic: env.topics.domainEvents, key: value.id, value })));
  const decisionsOf = async (contactIds: string[]) => {
    const rows: Array<{ contact_id: string; reason: string; provenance: Record<string, string> }> =
      await env.db.query(
        `SELECT contact_id, reason, provenance FROM enrollment_decisions WHERE contact_id = ANY($1)`,
        [contactIds],
      );
    return new Map(rows.map((row) => [row.contact_id, row]));
  };

  it('yes enrolls; no refuses with the reason; timeout, HTTP 500 and garbage fail open', async () => {
    const contacts = ['yes-1', 'no-1', 'slow-1', 'error-1', 'garbage-1'];
    await publish(contacts.map((contactId) => event(accountId, contactId)));
    const decisions = await waitUntil(
      `decisions for ${contacts.join(', ')}`,
      () => decisionsOf(contacts),
      (found) => found.size === contacts.length,
    );
    expect(Object.fromEntries([...decisions].map(([contact, d]) => [contact, d.reason]))).toEqual({
      'yes-1': 'enrolled',
      'no-1': 'maestro_declined',
      'slow-1': 'enrolled_maestro_unavailable',
      'error-1': 'enrolled_maestro_unavailable',
      'garbage-1': 'enrolled_maestro_unavailable',
    });
    expect(decisions.get('no-1')!.provenance).toMatchObject({
      maestroVerdict: 'no',
      maestroReason: 'already purchased yesterday',
    });
    expect(decisions.get('slow-1')!.provenance.maestroReason).toMatch(/Timeout/);
    expect(decisions.get('error-1')!.provenance.maestroReason).toMatch(/HTTP 500/);
  });

  it('50 contacts behind one slow Maestro call are decided without waiting for it', async () => {
    const quick = Array.from({ length: 50 }, (_, i) => `yes-batch-${i}`);
    const started = Date.now();
    await publish([event(accountId, 'slow-batch'), ...quick.map((contactId) => event(accountId, contactId))]);
    await waitUntil(
      'the 50 quick contacts decided',
      async () => (await decisionsOf(quick)).size,
      (decided) => decided === 50,
    );
    const quickDoneMs = Date.now() - started;
    // The proof is the order, not a stopwatch: all 50 are decided while the slow call is still pending.
    expect((await decisionsOf(['slow-batch'])).size).toBe(0);
    const slow = await waitUntil('the slow contact decided', async () =>
      (await decisionsOf(['slow-batch'])).get('slow-batch'),
    );
    expect(slow.reason).toBe('enrolled_maestro_unavailable');
    console.log(
      `50 quick answers decided after ${quickDoneMs} ms; the slow one failed open after its ${TIMEOUT_MS} ms timeout`,
    );
  });

  it('an account without the Maestro is refused as "maestro disabled", without asking', async () => {
    const other = await createAccount(env.db, { maestroEnabled: false });
    const sequence = await createPublishedSequence(env.db, other.id, {
      triggers: [{ type: 'ai', cue: { kind: 'event', eventType: 'conversation.idle' } }],
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'hi' }],
    });
    // Barrier: the router's trigger index has the new sequence (refreshed on the database's notification).
    await waitUntil(
      "the router's trigger index to list the new sequence",
      () => router.get(SequenceTriggerIndex).listeners(other.id, 'conversation.idle'),
      (listeners) => listeners.some((listener) => listener.sequenceId === sequence.id),
    );
    await publish([event(other.id, 'yes-unlicensed')]);
    const decision = await waitUntil('a decision for yes-unlicensed', async () =>
      (await decisionsOf(['yes-unlicensed'])).get('yes-unlicensed'),
    );
    expect(decision.reason).toBe('maestro_disabled');
    expect(decision.provenance.maestroVerdict).toBeUndefined();
  });

  it('an AI trigger cued by inactivity asks the Maestro too', async () => {
    const clock = new ManualClock(new Date());
    await createPublishedSequence(env.db, accountId, {
      targetType: 'conversation',
      triggers: [{ type: 'ai', cue: { kind: 'inactivity', limitMinutes: 1, statuses: ['open', 'pending'] } }],
      steps: [{ delayMinutes: 60, channel: 'whatsapp', content: 'Anything else?' }],
    });
    await env.start(inactivityWatcherRole, {
      clock,
      config: { INACTIVITY_TICK_MS: '100', INACTIVITY_LOOKBACK_MINUTES: '5' },
    });
    const contacts = ['yes-idle', 'no-idle'];
    await env.producer.send(
      contacts.map((contactId) => {
        const value: ConversationActivity = {
          id: randomUUID(),
          accountId,
          contactId,
          conversationId: `conv-${contactId}`,
          kind: 'status_change',
          direction: null,
          status: 'open',
          time: clock.now().getTime(),
        };
        return { topic: env.topics.conversationActivity, key: value.conversationId, value };
      }),
    );
    await waitUntil(
      'the activity of yes-idle and no-idle recorded',
      async () =>
        (
          await env.db.query<unknown[]>(`SELECT 1 FROM conversation_activity WHERE contact_id = ANY($1)`, [
            contacts,
          ])
        ).length,
      (recorded) => recorded === 2,
    );
    clock.advance(61_000);
    const decisions = await waitUntil(
      'decisions for yes-idle and no-idle',
      () => decisionsOf(contacts),
      (found) => found.size === 2,
    );
    expect(decisions.get('yes-idle')).toMatchObject({
      reason: 'enrolled',
      provenance: { maestroVerdict: 'yes' },
    });
    expect(decisions.get('no-idle')).toMatchObject({
      reason: 'maestro_declined',
      provenance: { maestroVerdict: 'no', maestroReason: 'already purchased yesterday' },
    });
  });
});
