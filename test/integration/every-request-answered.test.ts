import { randomUUID } from 'node:crypto';
import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { InactivityDetectorWorker } from '../../apps/inactivity-watcher/src/inactivity-detector.worker';
import { inactivityWatcherRole } from '../../apps/inactivity-watcher/src/inactivity-watcher-app.module';
import { triggerRouterRole } from '../../apps/trigger-router/src/trigger-router-app.module';
import {
  contactKey,
  dlqTopic,
  toCommandRecord,
  type ConversationActivity,
  type DomainEvent,
} from '../../libs/contracts/src';
import { ManualClock, sequenceDefinitionSchema } from '../../libs/domain/src';
import { SequencesRepository } from '../../libs/persistence/src';
import { createAccount, createPublishedSequence, enrollCommand, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

interface Decision {
  requestId: string;
  reason: string;
  detail: string | null;
  explanation: string;
  relatedId: string | null;
  links: Record<string, string>;
}
interface Conclusion {
  sequenceId: string;
  heard: boolean;
  conclusion: string;
  explanation: string;
  crossingAt?: string | null;
  statusCounts?: boolean;
}

const steps = [{ delayMinutes: 60, channel: 'sms' as const, content: 'hello' }];

describe('every request answered: refused commands decided, pending answered, every "why" explained', () => {
  const env = useTestEnvironment();
  const clock = new ManualClock(new Date('2026-07-01T12:00:00Z'));
  let http: HttpClient;
  let accountId: string;

  beforeAll(async () => {
    await env.start(enrollmentRole, { clock });
    await env.start(triggerRouterRole, { clock });
    const api = await env.start(apiRole, { clock });
    const account = await createAccount(env.db, { automationModuleEnabled: true });
    accountId = account.id;
    http = new HttpClient(api, await issueApiKey(env.db, account.id));
  });

  const decisionOf = async (requestId: string) =>
    (
      await waitUntil(
        `the decision of ${requestId}`,
        () => http.get<Decision>(`/v1/decisions/${encodeURIComponent(requestId)}`),
        (response) => response.status === 200,
      )
    ).body;

  it('a command that fails validation but names its account and request ends as invalid_request, dead-lettered too', async () => {
    const sequence = await createPublishedSequence(env.db, accountId, { steps });
    const dlq = await env.collect<Buffer>(dlqTopic(env.topics.automationCommands));
    const malformed = {
      ...toCommandRecord(enrollCommand({ accountId, contactId: 'ana', sequenceId: sequence.id })),
      method: null,
    };
    await env.producer.send([
      { topic: env.topics.automationCommands, key: contactKey(accountId, 'ana'), value: malformed },
    ]);
    const decision = await decisionOf(malformed.commandId);
    expect(decision).toMatchObject({ reason: 'invalid_request', detail: 'method: required for enroll' });
    expect(decision.explanation).toMatch(/malformed/);
    const [letter] = await dlq.waitFor(1);
    expect(letter?.headers['dlq-reason']).toBe('invalid');
  });

  it('a command the database refuses on every retry ends as rejected_by_database; its neighbours are decided', async () => {
    const sequence = await createPublishedSequence(env.db, accountId, { steps });
    await env.db.query(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.contact_id = 'poison' THEN RAISE EXCEPTION 'poisoned row' USING ERRCODE = 'check_violation'; END IF;
        RETURN NEW;
      END $$`);
    await env.db.query(
      `CREATE TRIGGER refuse_poison BEFORE INSERT ON enrollments FOR EACH ROW EXECUTE FUNCTION refuse_poison()`,
    );
    const commands = ['before', 'poison', 'after'].map((contactId) =>
      enrollCommand({ accountId, contactId, sequenceId: sequence.id }),
    );
    // One key, one lane: the poison sits between its neighbours in one batch.
    await env.producer.send(
      commands.map((c) => ({
        topic: env.topics.enrollmentCommands,
        key: 'one-lane',
        value: toCommandRecord(c),
      })),
    );
    const [before, poison, after] = await Promise.all(commands.map((c) => decisionOf(c.commandId)));
    expect([before?.reason, poison?.reason, after?.reason]).toEqual([
      'enrolled',
      'rejected_by_database',
      'enrolled',
    ]);
    expect(poison?.detail).toMatch(/poisoned row/);
    await env.db.query(`DROP TRIGGER refuse_poison ON enrollments`);
  });

  it('a duplicate names the live enrollment, and a lookup by contact and sequence finds an unknown sequence', async () => {
    const sequence = await createPublishedSequence(env.db, accountId, { steps });
    const first = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId: sequence.id,
      contactId: 'dup',
    });
    const again = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId: sequence.id,
      contactId: 'dup',
    });
    const enrolled = await decisionOf(first.body.requestId);
    const duplicate = await decisionOf(again.body.requestId);
    expect(duplicate).toMatchObject({
      reason: 'duplicate',
      relatedId: enrolled.links.enrollment?.split('/').at(-1),
    });
    expect(duplicate.links.liveEnrollment).toBe(enrolled.links.enrollment);
    expect((await http.get(duplicate.links.liveEnrollment ?? '')).status).toBe(200);

    const missing = randomUUID();
    const lost = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId: missing,
      contactId: 'dup',
    });
    await decisionOf(lost.body.requestId);
    const found = await http.get<Decision[]>(`/v1/decisions?contactId=dup&sequenceId=${missing}`);
    expect(found.body.map((d) => [d.requestId, d.reason])).toEqual([
      [lost.body.requestId, 'sequence_not_found'],
    ]);
  });

  it("an event's why: each sequence that heard it and its decision, each that did not and why, and refused events", async () => {
    const sequences = new SequencesRepository(env.db);
    const account = await createAccount(env.db);
    const client = http.withKey(await issueApiKey(env.db, account.id));
    const stalled = [{ type: 'event' as const, eventType: 'deal.stalled' }];
    const enrolls = await createPublishedSequence(env.db, account.id, {
      targetType: 'deal',
      triggers: stalled,
      steps,
    });
    const wantsCharge = await createPublishedSequence(env.db, account.id, {
      targetType: 'charge',
      triggers: stalled,
      steps,
    });
    const inactive = await createPublishedSequence(env.db, account.id, {
      targetType: 'deal',
      triggers: stalled,
      steps,
    });
    await sequences.setActive(account.id, inactive.id, false);
    const draft = await sequences.createDraft(
      account.id,
      'never published',
      sequenceDefinitionSchema.parse({ targetType: 'deal', triggers: stalled, steps }),
    );
    const elsewhere = await createPublishedSequence(env.db, account.id, {
      targetType: 'deal',
      triggers: [{ type: 'event', eventType: 'charge.overdue' }],
      steps,
    });
    const event = (id: string, contactId = 'eve'): DomainEvent => ({
      id,
      source: 'crm',
      type: 'deal.stalled',
      time: clock.now().getTime(),
      subject: null,
      accountId: account.id,
      contactId,
      entities: { conversationId: null, dealId: 'deal-1', appointmentId: null, chargeId: null },
      data: {},
    });
    const routerHeard = () =>
      waitUntil(
        'the router to list the sequences',
        async () => {
          const probe = `probe-${randomUUID()}`;
          await env.producer.send([
            { topic: env.topics.domainEvents, key: probe, value: event(probe, 'probe') },
          ]);
          return (
            await waitUntil(
              'the probe trace',
              () => client.get<{ sequences: Conclusion[] }>(`/v1/events/${probe}`),
              (r) => r.status === 200,
            )
          ).body;
        },
        (trace) => trace.sequences.filter((s) => s.heard).length === 2,
      );
    await routerHeard();

    // The same event twice, one after the other (keyed apart, the two could be routed in either order).
    await env.producer.send([{ topic: env.topics.domainEvents, key: 'e-1', value: event('e-1') }]);
    const why = (id: string) =>
      waitUntil(
        `the why of ${id}`,
        () => client.get<{ eventType: string; sequences: Conclusion[] }>(`/v1/events/${id}`),
        (r) => r.status === 200 && r.body.sequences.every((s) => s.conclusion !== 'pending'),
      );
    const first = (await why('e-1')).body.sequences;
    const conclusions = (list: Conclusion[]) =>
      Object.fromEntries(list.map((s) => [s.sequenceId, [s.heard, s.conclusion]]));
    expect(conclusions(first)).toEqual({
      [enrolls.id]: [true, 'enrolled'],
      [wantsCharge.id]: [true, 'target_mismatch'],
      [inactive.id]: [false, 'sequence_inactive'],
      [draft.id]: [false, 'sequence_not_published'],
      [elsewhere.id]: [false, 'other_trigger'],
    });
    await env.producer.send([{ topic: env.topics.domainEvents, key: 'e-2', value: event('e-2') }]);
    expect(conclusions((await why('e-2')).body.sequences)[enrolls.id]).toEqual([true, 'duplicate']);

    // An event no sequence listens to leaves a trace too; a refused one says why it was refused.
    const unheard = { ...event('e-3'), type: 'invoice.viewed' };
    const refused = { ...event('e-4'), contactId: 'eve\u0000' };
    await env.producer.send([
      { topic: env.topics.domainEvents, key: 'e-3', value: unheard },
      { topic: env.topics.domainEvents, key: 'e-4', value: refused },
    ]);
    const quiet = await why('e-3');
    expect(quiet.body.sequences.filter((s) => s.heard)).toEqual([]);
    expect(quiet.body.sequences.find((s) => s.sequenceId === enrolls.id)?.conclusion).toBe('other_trigger');
    const bad = await why('e-4');
    expect(bad.body).toMatchObject({
      refused: expect.stringMatching(/^invalid: contactId: control characters/),
    });
    expect((await client.get('/v1/events/never-sent')).status).toBe(404);
    // Another account's key sees nothing of it.
    expect((await http.get('/v1/events/e-1')).status).toBe(404);
  });

  it("inactivity's why: the tracked conversation, whether its status counts, the crossing time, and the decision", async () => {
    const watcher = await env.start(inactivityWatcherRole, { clock });
    const account = await createAccount(env.db);
    const client = http.withKey(await issueApiKey(env.db, account.id));
    const hour = await createPublishedSequence(env.db, account.id, {
      targetType: 'conversation',
      triggers: [{ type: 'inactivity', limitMinutes: 60, statuses: ['open', 'pending'] }],
      steps,
    });
    const snoozedOnly = await createPublishedSequence(env.db, account.id, {
      targetType: 'conversation',
      triggers: [{ type: 'inactivity', limitMinutes: 10, statuses: ['snoozed'] }],
      steps,
    });
    const startedAt = clock.now();
    const activity: ConversationActivity = {
      id: randomUUID(),
      accountId: account.id,
      contactId: 'ivy',
      conversationId: 'conv-9',
      kind: 'message',
      direction: 'inbound',
      status: null,
      time: startedAt.getTime(),
    };
    await env.producer.send([{ topic: env.topics.conversationActivity, key: 'conv-9', value: activity }]);
    await env.drained([inactivityWatcherRole]);
    const why = () =>
      client.get<{ tracked: { status: string } | null; sequences: Conclusion[] }>(
        '/v1/conversations/conv-9/inactivity',
      );
    const before = (await why()).body;
    expect(before.tracked?.status).toBe('open');
    const bySequence = (list: Conclusion[]) => Object.fromEntries(list.map((s) => [s.sequenceId, s]));
    expect(bySequence(before.sequences)[hour.id]).toMatchObject({
      conclusion: 'not_idle_yet',
      statusCounts: true,
      crossingAt: new Date(startedAt.getTime() + 60 * 60_000).toISOString(),
    });
    expect(bySequence(before.sequences)[snoozedOnly.id]).toMatchObject({
      conclusion: 'status_not_counted',
      statusCounts: false,
    });

    clock.advance(61 * 60_000);
    await watcher.get(InactivityDetectorWorker).tick();
    const after = await waitUntil(
      'the inactivity decision',
      async () => (await why()).body,
      (body) => bySequence(body.sequences)[hour.id]?.conclusion === 'enrolled',
    );
    expect(bySequence(after.sequences)[snoozedOnly.id]?.conclusion).toBe('status_not_counted');
    expect((await client.get('/v1/conversations/never-seen/inactivity')).body).toMatchObject({
      tracked: null,
    });
  });
});

describe('a request accepted but not decided yet answers pending, with where to poll', () => {
  const env = useTestEnvironment();

  it('202 pending with Location and Retry-After until the enrollment app decides, then 200; 404 for unknown ids', async () => {
    const api = await env.start(apiRole);
    const account = await createAccount(env.db);
    const http = new HttpClient(api, await issueApiKey(env.db, account.id));
    const sequence = await createPublishedSequence(env.db, account.id, { steps });
    const accepted = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId: sequence.id,
      contactId: 'pat',
    });
    expect(accepted.status).toBe(202);
    const path = `/v1/decisions/${accepted.body.requestId}`;
    const pending = await http.get(path);
    expect(pending.status).toBe(202);
    expect(pending.headers.get('location')).toBe(path);
    expect(pending.headers.get('retry-after')).toBe('1');
    expect(pending.body).toMatchObject({ status: 'pending', kind: 'enroll', poll: path });
    expect((await http.get(`/v1/decisions/${randomUUID()}`)).status).toBe(404);

    await env.start(enrollmentRole);
    const decided = await waitUntil(
      'the decision',
      () => http.get<Decision>(path),
      (r) => r.status === 200,
    );
    expect(decided.body.reason).toBe('enrolled');
  });
});
