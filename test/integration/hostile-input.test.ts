import { randomUUID } from 'node:crypto';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import { contactKey, toCommandRecord, type DomainEvent } from '../../libs/contracts/src';
import { createAccount, createPublishedSequence, enrollCommand, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import {
  hostileString,
  hostileValue,
  mutate,
  pick,
  seededRandom,
  type Random,
} from '../support/hostile-values';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

/** Percent-encodes any string; a lone surrogate becomes the bytes of an invalid UTF-8 sequence (ED A0 80). */
const encodePart = (text: string): string =>
  [...text]
    .map((char) => {
      try {
        return encodeURIComponent(char);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');

const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
const ROUNDS = 300;

describe(`hostile input never costs a request (seed ${SEED}; replay with HOSTILE_SEED=${SEED})`, () => {
  const env = useTestEnvironment();
  const roles = [triggerRouterRole, inactivityWatcherRole, enrollmentRole];
  let http: HttpClient;
  let accountId: string;
  let sequenceId: string;
  let enrollmentId: string;

  beforeAll(async () => {
    for (const role of roles) await env.start(role);
    const api = await env.start(apiRole);
    const account = await createAccount(env.db, { automationModuleEnabled: true });
    accountId = account.id;
    http = new HttpClient(api, await issueApiKey(env.db, account.id));
    sequenceId = (
      await createPublishedSequence(env.db, accountId, {
        triggers: [{ type: 'event', eventType: 'deal.stalled' }],
        steps: [{ delayMinutes: 60, channel: 'sms', content: 'hello' }],
      })
    ).id;
    const seeded = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId,
      contactId: 'seed',
    });
    enrollmentId =
      (
        await waitUntil(
          'the seed enrollment',
          () => http.get<{ enrollmentId: string | null }>(`/v1/decisions/${seeded.body.requestId}`),
          (r) => r.status === 200,
        )
      ).body.enrollmentId ?? '';
  });

  /** One hostile HTTP call: a valid request of some endpoint, with one part made hostile. */
  function hostileCall(random: Random): { method: 'GET' | 'POST' | 'PUT'; path: string; body?: unknown } {
    const segment = () => encodePart(pick(random, [hostileString(random), randomUUID(), enrollmentId]));
    const query = () => encodePart(hostileString(random));
    const enroll = { sequenceId, contactId: `c-${Math.floor(random() * 50)}` };
    const definition = { targetType: 'contact', steps: [{ delayMinutes: 1, channel: 'sms', content: 'x' }] };
    return pick(random, [
      () => ({ method: 'POST' as const, path: '/v1/enrollments', body: mutate(random, enroll) }),
      () => ({
        method: 'POST' as const,
        path: '/v1/enrollments',
        body: { ...enroll, contactId: hostileString(random) },
      }),
      () => ({
        method: 'POST' as const,
        path: '/v1/enrollments/manual',
        body: mutate(random, { ...enroll, userId: 'u-1' }),
      }),
      () => ({
        method: 'POST' as const,
        path: '/v1/enrollments/bulk',
        body: mutate(random, {
          sequenceId,
          userId: 'u-1',
          contacts: [{ contactId: hostileString(random) }, { contactId: 'ok' }],
        }),
      }),
      () => ({
        method: 'POST' as const,
        path: '/v1/sequences',
        body: mutate(random, { name: 'n', definition }),
      }),
      () => ({
        method: 'POST' as const,
        path: '/v1/sequences',
        body: { name: 'n', definition: mutate(random, definition) },
      }),
      () => ({
        method: 'PUT' as const,
        path: `/v1/sequences/${segment()}`,
        body: mutate(random, { name: 'n', definition }),
      }),
      () => ({
        method: 'POST' as const,
        path: `/v1/sequences/${segment()}/${pick(random, ['publish', 'activate', 'deactivate'])}`,
      }),
      () => ({ method: 'GET' as const, path: `/v1/sequences/${segment()}/versions/${query()}` }),
      () => ({
        method: 'GET' as const,
        path: `/v1/enrollments?contactId=${query()}&state=${query()}&limit=${query()}`,
      }),
      () => ({ method: 'GET' as const, path: `/v1/enrollments?cursor=${query()}` }),
      () => ({ method: 'GET' as const, path: `/v1/enrollments/${segment()}` }),
      () => ({ method: 'GET' as const, path: `/v1/enrollments/bulk/${segment()}?results=${query()}` }),
      () => ({
        method: 'POST' as const,
        path: `/v1/enrollments/${segment()}/${pick(random, ['pause', 'resume', 'cancel'])}`,
        body: mutate(random, { userId: 'u-1' }),
      }),
      () => ({ method: 'GET' as const, path: `/v1/decisions/${segment()}` }),
      () => ({ method: 'GET' as const, path: `/v1/decisions?contactId=${query()}&sequenceId=${query()}` }),
      () => ({ method: 'GET' as const, path: `/v1/events/${segment()}` }),
      () => ({ method: 'GET' as const, path: `/v1/conversations/${segment()}/inactivity` }),
    ])();
  }

  it('HTTP: no 5xx on any endpoint, and every request the API accepted is answered within seconds', async () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    const accepted: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const call = hostileCall(random);
      const response =
        call.method === 'GET'
          ? await http.get(call.path)
          : call.method === 'PUT'
            ? await http.put(call.path, call.body)
            : await http.post(call.path, call.body);
      if (response.status >= 500)
        failures.push(`${call.method} ${call.path.slice(0, 120)} → ${response.status}`);
      const body = response.body;
      if (response.status === 202 && typeof body === 'object' && body !== null) {
        const requestId: unknown = Reflect.get(body, 'requestId');
        if (typeof requestId === 'string') accepted.push(requestId);
        const requests: unknown = Reflect.get(body, 'requests');
        if (Array.isArray(requests))
          for (const r of requests as unknown[]) {
            const id: unknown = typeof r === 'object' && r !== null ? Reflect.get(r, 'requestId') : null;
            if (typeof id === 'string') accepted.push(id);
          }
      }
    }
    // Raw bodies: not JSON, invalid UTF-8, the wrong content type, a huge body.
    for (const init of [
      { contentType: 'application/json', body: '{"sequenceId": ' },
      {
        contentType: 'application/json',
        body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'),
      },
      { contentType: 'text/plain', body: 'hello' },
      { contentType: 'application/x-www-form-urlencoded', body: 'contactId=a&sequenceId=b' },
      { contentType: 'application/json', body: JSON.stringify({ contactId: 'x'.repeat(6_000_000) }) },
    ]) {
      const response = await http.raw('POST', '/v1/enrollments', init);
      if (response.status >= 500)
        failures.push(`raw ${init.contentType} → ${response.status}: ${response.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);

    // Answered by the API itself: a decision for an enroll, the change made (or why none) for a pause,
    // resume or cancel; 202 pending only until then.
    const answered = new Set<string>();
    const unanswered = await waitUntil(
      `an answer for each of the ${accepted.length} accepted requests`,
      async () => {
        for (const id of accepted.filter((requestId) => !answered.has(requestId))) {
          const response = await http.get(`/v1/decisions/${id}`);
          if (response.status === 200) answered.add(id);
        }
        return accepted.filter((id) => !answered.has(id));
      },
      (missing) => missing.length === 0,
      { timeoutMs: 20_000 },
    );
    const undecided = unanswered;
    expect(undecided).toEqual([]);
  });

  it('Kafka: hostile records on every consumed topic never stall a consumer, and every command that names its request is decided', async () => {
    const random = seededRandom(SEED + 1);
    const commandIds: string[] = [];
    const eventIds: string[] = [];
    const topics = env.topics;
    const messages: Array<{ topic: string; key: string; value: object }> = [];
    const raw: Array<{ topic: string; key: string; value: Buffer }> = [];
    for (let round = 0; round < 120; round++) {
      const valid = toCommandRecord(
        enrollCommand({ accountId, contactId: 'k-1', sequenceId, method: 'automation' }),
      );
      const field = pick(random, [
        'contactId',
        'idempotencyKey',
        'sequenceId',
        'target',
        'provenance',
        'method',
      ] as const);
      const hostile = pick(random, [
        hostileString(random),
        null,
        { type: pick(random, ['deal', 'charge', hostileString(random)]), id: hostileString(random) },
      ]);
      // Only what Avro can carry is sent as Avro; the rest goes as raw bytes (undecodable).
      const command = {
        ...valid,
        [field]: field === 'provenance' ? { ...valid.provenance, userId: hostileString(random) } : hostile,
      };
      const topic = pick(random, [topics.enrollmentCommands, topics.automationCommands]);
      try {
        await env.codec.encode(topic, command);
        messages.push({ topic, key: contactKey(accountId, 'k-1'), value: command });
        commandIds.push(valid.commandId);
      } catch {
        raw.push({ topic, key: 'raw', value: Buffer.from(JSON.stringify(command)) });
      }
      const event: DomainEvent = {
        id: randomUUID(),
        source: hostileString(random),
        type: pick(random, ['deal.stalled', 'deal.won', 'contact.unsubscribed', hostileString(random)]),
        time: Date.now(),
        subject: pick(random, [null, hostileString(random)]),
        accountId,
        contactId: pick(random, ['k-2', hostileString(random)]),
        entities: {
          conversationId: pick(random, [null, hostileString(random)]),
          dealId: hostileString(random),
          appointmentId: null,
          chargeId: null,
        },
        data: { [hostileString(random).slice(0, 30) || 'k']: hostileString(random) },
      };
      messages.push({ topic: topics.domainEvents, key: event.id, value: event });
      eventIds.push(event.id);
      const conversationId = pick(random, ['conv-1', hostileString(random)]);
      messages.push({
        topic: topics.conversationActivity,
        key: 'activity',
        value: {
          id: hostileString(random) || 'a',
          accountId: pick(random, [accountId, hostileString(random)]),
          contactId: hostileString(random),
          conversationId,
          kind: pick(random, ['message', 'status_change'] as const),
          direction: pick(random, [null, 'inbound', 'outbound'] as const),
          status: pick(random, [null, 'open', 'resolved'] as const),
          time: Date.now(),
        },
      });
      raw.push({
        topic: pick(
          random,
          Object.values(topics).filter((t) => typeof t === 'string' && !t.includes('outbound')),
        ),
        key: 'noise',
        value: Buffer.from(String(hostileValue(random))),
      });
    }
    await env.producer.send(messages);
    await env.producer.producer.send({
      topic: topics.domainEvents,
      messages: raw.filter((r) => r.topic === topics.domainEvents),
    });
    for (const topic of [topics.enrollmentCommands, topics.automationCommands, topics.conversationActivity]) {
      await env.producer.producer.send({ topic, messages: raw.filter((r) => r.topic === topic) });
    }

    // No consumer stalls: every group commits everything the topics hold (the router first, it feeds the rest).
    await env.drained(roles, { timeoutMs: 60_000 });
    const decided = await env.db.query<Array<{ request_id: string }>>(
      `SELECT request_id FROM enrollment_decisions WHERE account_id = $1 AND request_id = ANY($2::text[])`,
      [accountId, commandIds],
    );
    expect(new Set(decided.map((d) => d.request_id))).toEqual(new Set(commandIds));
    const traced = await env.db.query<Array<{ event_id: string }>>(
      `SELECT event_id FROM event_traces WHERE account_id = $1 AND event_id = ANY($2::text[])`,
      [accountId, eventIds],
    );
    expect(new Set(traced.map((t) => t.event_id))).toEqual(new Set(eventIds));
  });
});
