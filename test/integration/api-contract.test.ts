import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { createAccount, createPublishedSequence, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

describe('the API contract: Idempotency-Key on single and bulk calls, Location on every 202', () => {
  const env = useTestEnvironment();
  let http: HttpClient;
  let sequenceId: string;

  beforeAll(async () => {
    await env.start(enrollmentRole);
    const api = await env.start(apiRole);
    const account = await createAccount(env.db);
    http = new HttpClient(api, await issueApiKey(env.db, account.id));
    sequenceId = (
      await createPublishedSequence(env.db, account.id, {
        steps: [{ delayMinutes: 60, channel: 'email', content: 'hello' }],
      })
    ).id;
  });

  const decisionCount = async () =>
    Number(
      (await env.db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM enrollment_decisions`))[0]?.n ?? 0,
    );

  it('a retried enroll with the same Idempotency-Key answers the first request id, and is decided once', async () => {
    const body = { sequenceId, contactId: 'ida' };
    const first = await http.post<{ requestId: string }>('/v1/enrollments', body, {
      'Idempotency-Key': 'k-1',
    });
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/v1/decisions/${first.body.requestId}`);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await http.post<{ requestId: string }>('/v1/enrollments', body, {
      'Idempotency-Key': 'k-1',
    });
    expect([retry.status, retry.body.requestId, retry.headers.get('idempotent-replayed')]).toEqual([
      202,
      first.body.requestId,
      'true',
    ]);
    const decided = await waitUntil(
      'the decision',
      () => http.get<{ reason: string }>(first.headers.get('location') ?? ''),
      (r) => r.status === 200,
    );
    expect(decided.body.reason).toBe('enrolled');
    await env.drained([enrollmentRole]);
    expect(await decisionCount()).toBe(1);
  });

  it('the same Idempotency-Key with another body is refused (422), a header that disagrees with the body too (400)', async () => {
    await http.post('/v1/enrollments', { sequenceId, contactId: 'jon' }, { 'Idempotency-Key': 'k-2' });
    const other = await http.post<Problem>(
      '/v1/enrollments',
      { sequenceId, contactId: 'kim' },
      {
        'Idempotency-Key': 'k-2',
      },
    );
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    const clash = await http.post<Problem>(
      '/v1/enrollments',
      { sequenceId, contactId: 'kim', idempotencyKey: 'k-3' },
      { 'Idempotency-Key': 'k-4' },
    );
    expect([clash.status, clash.body.errors]).toEqual([
      400,
      [{ path: 'idempotencyKey', message: 'differs from the Idempotency-Key header' }],
    ]);
    const bad = await http.post<Problem>(
      '/v1/enrollments',
      { sequenceId, contactId: 'kim' },
      {
        'Idempotency-Key': 'x'.repeat(201),
      },
    );
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, 'Idempotency-Key']);
  });

  it('a retried bulk call with the same Idempotency-Key returns the first bulk id and request ids, enrolling once', async () => {
    const body = {
      sequenceId,
      userId: 'u-1',
      contacts: ['b-1', 'b-2', 'b-3'].map((contactId) => ({ contactId })),
    };
    // The requests of the tests before are decided first, so that only this call's decisions are counted.
    await env.drained([enrollmentRole]);
    const before = await decisionCount();
    const first = await http.post<{ bulkId: string; requests: Array<{ requestId: string }> }>(
      '/v1/enrollments/bulk',
      body,
      { 'Idempotency-Key': 'bulk-1' },
    );
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/v1/enrollments/bulk/${first.body.bulkId}`);
    const retry = await http.post<{ bulkId: string; requests: Array<{ requestId: string }> }>(
      '/v1/enrollments/bulk',
      body,
      { 'Idempotency-Key': 'bulk-1' },
    );
    expect([retry.body.bulkId, retry.body.requests, retry.headers.get('idempotent-replayed')]).toEqual([
      first.body.bulkId,
      first.body.requests,
      'true',
    ]);
    const progress = await waitUntil(
      'the bulk to be decided',
      () => http.get<{ done: boolean; decided: number }>(first.headers.get('location') ?? ''),
      (r) => r.body.done,
    );
    expect(progress.body.decided).toBe(3);
    await env.drained([enrollmentRole]);
    expect((await decisionCount()) - before).toBe(3);
    const changed = await http.post<Problem>(
      '/v1/enrollments/bulk',
      { ...body, contacts: [{ contactId: 'b-9' }] },
      { 'Idempotency-Key': 'bulk-1' },
    );
    expect([changed.status, changed.body.code]).toEqual([422, 'idempotency_key_reused']);
  });

  it('a pause, resume or cancel answers 202 with the Location of its answer', async () => {
    const enrolled = await http.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId,
      contactId: 'lea',
    });
    const decision = await waitUntil(
      'the decision',
      () => http.get<{ enrollmentId: string }>(`/v1/decisions/${enrolled.body.requestId}`),
      (r) => r.status === 200,
    );
    const pause = await http.post<{ requestId: string }>(
      `/v1/enrollments/${decision.body.enrollmentId}/pause`,
      {},
    );
    expect([pause.status, pause.headers.get('location')]).toEqual([
      202,
      `/v1/decisions/${pause.body.requestId}`,
    ]);
  });
});

describe('the OpenAPI document', () => {
  const env = useTestEnvironment();

  it('documents every route: a unique operation id, its success answer and each error as a problem, with examples', async () => {
    const api = await env.start(apiRole);
    const http = new HttpClient(api, null);
    type Responses = Record<string, { content?: Record<string, { example?: unknown }> }>;
    const doc = await http.get<{
      paths: Record<string, Record<string, { operationId?: string; responses: Responses }>>;
    }>('/openapi.json');
    const operations = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        ...operation,
      })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(21);
    const problems = operations.flatMap(({ route, operationId, responses }) => {
      const found: string[] = [];
      if (!operationId) found.push(`${route}: no operationId`);
      const statuses = Object.keys(responses);
      const success = statuses.filter((s) => s.startsWith('2'));
      if (success.length === 0) found.push(`${route}: no 2xx response`);
      const withExample = (status: string) =>
        Object.values(responses[status]?.content ?? {}).some((media) => media.example !== undefined);
      for (const status of statuses)
        if (!withExample(status)) found.push(`${route}: ${status} has no example`);
      // The API's routes (health and metrics answer for operators, in their own shapes).
      if (!route.includes(' /v1/')) return found;
      if (!statuses.includes('401')) found.push(`${route}: no 401`);
      for (const status of statuses.filter((s) => s.startsWith('4') || s.startsWith('5'))) {
        const example = responses[status]?.content?.['application/problem+json']?.example;
        if (!example) found.push(`${route}: ${status} is not documented as a problem with an example`);
        else
          expect(example).toMatchObject({
            status: Number(status),
            type: expect.stringMatching(/^urn:cadence:problem:/),
          });
      }
      return found;
    });
    expect(problems).toEqual([]);
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
