import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { createAccount, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

interface SequenceView {
  id: string;
  active: boolean;
  publishedVersion: number | null;
}
interface Decision {
  requestId: string;
  outcome: string;
  reason: string;
  enrollmentId: string | null;
  relatedId: string | null;
  explanation: string;
  provenance: Record<string, string | null>;
}
interface EnrollmentDetail {
  id: string;
  state: string;
  sequenceVersion: number;
  method: string;
  history: Array<{ fromState: string | null; toState: string; cause: string }>;
}

const definition = {
  targetType: 'contact',
  steps: [
    { delayMinutes: 60, channel: 'email', content: 'Welcome!' },
    { delayMinutes: 1440, channel: 'whatsapp', template: { name: 'nudge', variables: { tone: 'warm' } } },
  ],
  exitRules: ['replied'],
};

describe('the enrollments API (HTTP → Kafka → enrollment app → Postgres)', () => {
  const env = useTestEnvironment();
  let http: HttpClient;
  let accountId: string;

  beforeAll(async () => {
    await env.start(enrollmentRole);
    const api = await env.start(apiRole);
    accountId = (await createAccount(env.db)).id;
    http = new HttpClient(api, await issueApiKey(env.db, accountId));
  });

  async function publishedSequence(): Promise<string> {
    const created = await http.post<SequenceView>('/v1/sequences', { name: 'Onboarding', definition });
    expect(created.status).toBe(201);
    expect(
      (await http.post<SequenceView>(`/v1/sequences/${created.body.id}/publish`)).body.publishedVersion,
    ).toBe(1);
    expect((await http.post<SequenceView>(`/v1/sequences/${created.body.id}/activate`)).body.active).toBe(
      true,
    );
    return created.body.id;
  }

  const decisionOf = async (requestId: string, client = http) =>
    (
      await waitUntil(
        `the decision of ${requestId}`,
        () => client.get<Decision>(`/v1/decisions/${requestId}`),
        (response) => response.status === 200,
      )
    ).body;

  it('refuses requests without a valid key', async () => {
    expect((await http.withKey(null).get('/v1/sequences')).status).toBe(401);
    expect((await http.withKey('cad_not-a-key').get('/v1/sequences')).status).toBe(401);
  });

  it('refuses an invalid sequence with the path of every bad field', async () => {
    const response = await http.post<{ errors: Array<{ path: string; message: string }> }>('/v1/sequences', {
      name: '',
      definition: {
        targetType: 'invoice',
        triggers: [{ type: 'inactivity', limitMinutes: 0 }],
        steps: [{ delayMinutes: -1, channel: 'fax', content: 'x' }],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e) => e.path).sort()).toEqual([
      'definition.steps.0.channel',
      'definition.steps.0.delayMinutes',
      'definition.targetType',
      'definition.triggers.0.limitMinutes',
      'name',
    ]);
  });

  it('refuses unknown and misspelt fields, control characters and other content types, naming each', async () => {
    type Refusal = { errors: Array<{ path: string; message: string }> };
    const sequenceId = await publishedSequence();
    const misspelt = await http.post<Refusal>('/v1/enrollments', {
      sequenceId,
      contactId: 'bea',
      idempotencyKee: 'k-1',
    });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors).toEqual([{ path: 'idempotencyKee', message: 'unknown field' }]);

    const nested = await http.post<Refusal>('/v1/enrollments/bulk', {
      sequenceId,
      userId: 'user-1',
      contacts: [{ contactId: 'a' }, { contactId: 'b', target: { type: 'contact', id: 'b', extra: 1 } }],
    });
    expect(nested.status).toBe(400);
    expect(nested.body.errors).toEqual([{ path: 'contacts.1.target.extra', message: 'unknown field' }]);

    const nul = await http.post<Refusal>('/v1/enrollments', { sequenceId, contactId: 'bea\u0000' });
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([{ path: 'contactId', message: 'control characters are not allowed' }]);

    const draft = await http.post<Refusal>('/v1/sequences', {
      name: 'Misspelt',
      definition: { ...definition, exitRule: ['replied'] },
    });
    expect(draft.status).toBe(400);
    expect(draft.body.errors).toEqual([{ path: 'definition.exitRule', message: 'unknown field' }]);

    const text = await http.raw('POST', '/v1/enrollments', {
      contentType: 'text/plain',
      body: JSON.stringify({ sequenceId, contactId: 'bea' }),
    });
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(text.text)).toEqual({
      type: 'urn:cadence:problem:unsupported_media_type',
      title: 'Unsupported media type',
      status: 415,
      code: 'unsupported_media_type',
      detail: 'the body must be application/json (got text/plain)',
      instance: '/v1/enrollments',
    });
  });

  it('answers every error as an RFC 9457 problem: field errors inside, bad JSON, unknown ids, no key', async () => {
    const isProblem = (headers: Headers) =>
      expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const invalid = await http.post<Record<string, unknown>>('/v1/enrollments', { sequenceId: 'nope' });
    isProblem(invalid.headers);
    expect(invalid.body).toMatchObject({
      type: 'urn:cadence:problem:validation_failed',
      status: 400,
      code: 'validation_failed',
      instance: '/v1/enrollments',
      errors: expect.arrayContaining([
        { path: 'sequenceId', message: 'Invalid uuid' },
        expect.objectContaining({ path: 'contactId' }),
      ]),
    });
    const broken = await http.raw('POST', '/v1/enrollments', {
      contentType: 'application/json',
      body: '{"sequenceId": ',
    });
    isProblem(broken.headers);
    expect([broken.status, JSON.parse(broken.text)]).toEqual([
      400,
      expect.objectContaining({ code: 'bad_request', detail: 'the body is not valid JSON' }),
    ]);
    const missing = await http.get(`/v1/enrollments/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`);
    isProblem(missing.headers);
    expect(missing.body).toMatchObject({ status: 404, code: 'not_found' });
    const anonymous = await http.withKey(null).get('/v1/sequences');
    isProblem(anonymous.headers);
    expect(anonymous.body).toMatchObject({
      status: 401,
      code: 'unauthorized',
      detail: 'an API key is required',
    });
  });

  it('enrolls manually, explains duplicates, and records pause, resume and cancel in the history', async () => {
    const sequenceId = await publishedSequence();
    const first = await http.post<{ requestId: string }>('/v1/enrollments/manual', {
      sequenceId,
      contactId: 'ana',
      userId: 'user-1',
    });
    expect(first.status).toBe(202);
    const enrolled = await decisionOf(first.body.requestId);
    expect(enrolled).toMatchObject({
      outcome: 'enrolled',
      reason: 'enrolled',
      provenance: expect.objectContaining({ userId: 'user-1' }),
    });

    const again = await http.post<{ requestId: string }>('/v1/enrollments', { sequenceId, contactId: 'ana' });
    const duplicate = await decisionOf(again.body.requestId);
    expect(duplicate).toMatchObject({
      outcome: 'ignored',
      reason: 'duplicate',
      relatedId: enrolled.enrollmentId,
    });
    expect(duplicate.explanation).toMatch(/already has an active or paused enrollment/);

    const why = await http.get<Decision[]>(`/v1/decisions?contactId=ana&sequenceId=${sequenceId}`);
    expect(why.body.map((d) => d.reason)).toEqual(['duplicate', 'enrolled']);

    const id = enrolled.enrollmentId!;
    const stateOf = async (state: string) =>
      (
        await waitUntil(
          `enrollment ${id} ${state}`,
          () => http.get<EnrollmentDetail>(`/v1/enrollments/${id}`),
          (detail) => detail.body.state === state,
        )
      ).body;
    expect((await http.post(`/v1/enrollments/${id}/pause`, { userId: 'user-2' })).status).toBe(202);
    await stateOf('paused');
    await http.post(`/v1/enrollments/${id}/resume`, {});
    await stateOf('active');
    await http.post(`/v1/enrollments/${id}/cancel`, {});
    const cancelled = await stateOf('cancelled');
    expect(cancelled).toMatchObject({ sequenceVersion: 1, method: 'manual' });
    expect(cancelled.history.map((h) => [h.fromState, h.toState, h.cause])).toEqual([
      [null, 'active', 'enrolled:manual'],
      ['active', 'paused', 'paused'],
      ['paused', 'active', 'resumed'],
      ['active', 'cancelled', 'manual_cancel'],
    ]);

    // The cancel freed the slot: the contact can be enrolled again.
    const third = await http.post<{ requestId: string }>('/v1/enrollments', { sequenceId, contactId: 'ana' });
    expect((await decisionOf(third.body.requestId)).reason).toBe('enrolled');
  });

  it('answers a repeated idempotency key with the first decision', async () => {
    const sequenceId = await publishedSequence();
    const body = { sequenceId, contactId: 'bia', idempotencyKey: 'order-77' };
    const one = await http.post<{ requestId: string }>('/v1/enrollments', body);
    const two = await http.post<{ requestId: string }>('/v1/enrollments', { ...body, contactId: 'caio' });
    expect((await decisionOf(one.body.requestId)).reason).toBe('enrolled');
    expect(await decisionOf(two.body.requestId)).toMatchObject({
      reason: 'idempotent_replay',
      relatedId: one.body.requestId,
    });
  });

  it('enrolls 10,000 contacts in one bulk call and reports progress and results', async () => {
    const sequenceId = await publishedSequence();
    const contacts = Array.from({ length: 9_999 }, (_, i) => ({ contactId: `bulk-${i}` }));
    contacts.push({ contactId: 'bulk-0' });
    const tooMany = await http.post('/v1/enrollments/bulk', {
      sequenceId,
      userId: 'u',
      contacts: [...contacts, ...contacts],
    });
    expect(tooMany.status).toBe(400);

    const accepted = await http.post<{
      bulkId: string;
      total: number;
      requests: Array<{ contactId: string; requestId: string }>;
    }>('/v1/enrollments/bulk', { sequenceId, userId: 'user-9', contacts });
    expect(accepted).toMatchObject({ status: 202 });
    expect(accepted.body.total).toBe(10_000);
    expect(new Set(accepted.body.requests.map((r) => r.requestId)).size).toBe(10_000);
    const { body: progress } = await waitUntil(
      'the bulk request done',
      () =>
        http.get<{ done: boolean; decided: number; byReason: Record<string, number> }>(
          `/v1/enrollments/bulk/${accepted.body.bulkId}`,
        ),
      (response) => response.body.done,
      { timeoutMs: 90_000 },
    );
    expect(progress).toMatchObject({ decided: 10_000, byReason: { enrolled: 9_999, duplicate: 1 } });
    const withResults = await http.get<{ results: Decision[] }>(
      `/v1/enrollments/bulk/${accepted.body.bulkId}?results=true`,
    );
    expect(withResults.body.results).toHaveLength(10_000);

    const page1 = await http.get<{
      items: Array<{ id: string; contactId: string }>;
      nextCursor: string | null;
    }>(`/v1/enrollments?sequenceId=${sequenceId}&method=bulk&state=active&limit=400`);
    expect(page1.body.items).toHaveLength(400);
    const page2 = await http.get<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      `/v1/enrollments?sequenceId=${sequenceId}&method=bulk&state=active&limit=400&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items).toHaveLength(400);
    const overlap = page2.body.items.filter((item) => page1.body.items.some((other) => other.id === item.id));
    expect(overlap).toEqual([]);
    expect((await http.get(`/v1/enrollments?state=sleeping`)).status).toBe(400);
  });

  it("answers 404 for another account's sequences, enrollments and decisions", async () => {
    const sequenceId = await publishedSequence();
    const mine = await http.post<{ requestId: string }>('/v1/enrollments', { sequenceId, contactId: 'dora' });
    const decision = await decisionOf(mine.body.requestId);

    const other = await createAccount(env.db);
    const intruder = http.withKey(await issueApiKey(env.db, other.id));
    expect((await intruder.get(`/v1/sequences/${sequenceId}`)).status).toBe(404);
    expect((await intruder.post(`/v1/sequences/${sequenceId}/publish`)).status).toBe(404);
    expect((await intruder.get(`/v1/enrollments/${decision.enrollmentId}`)).status).toBe(404);
    expect((await intruder.post(`/v1/enrollments/${decision.enrollmentId}/cancel`, {})).status).toBe(404);
    expect((await intruder.get(`/v1/decisions/${mine.body.requestId}`)).status).toBe(404);
    expect(
      (await intruder.get<{ items: unknown[] }>(`/v1/enrollments?sequenceId=${sequenceId}`)).body.items,
    ).toEqual([]);

    // Enrolling into another account's sequence is decided, and refused, as "sequence not found".
    const sneaky = await intruder.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId,
      contactId: 'dora',
    });
    const refused = await decisionOf(sneaky.body.requestId, intruder);
    expect(refused.reason).toBe('sequence_not_found');
  });

  it('serves the OpenAPI document', async () => {
    const doc = await http.get<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sequences',
        '/v1/enrollments',
        '/v1/enrollments/bulk',
        '/v1/decisions/{requestId}',
      ]),
    );
  });
});
