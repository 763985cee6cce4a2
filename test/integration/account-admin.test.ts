import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import type { SequenceDefinition } from '../../libs/domain/src';
import { createAccount, createPublishedSequence, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

interface Problem {
  status: number;
  code: string;
  type: string;
  errors?: Array<{ path: string; message: string }>;
}
interface KeyView {
  id: string;
  name: string;
  prefix: string | null;
  scope: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  secret?: string;
  replaces?: string;
}
interface AccountView {
  id: string;
  timeZone: string;
  maestroEnabled: boolean;
  sendWindow: unknown;
  caller: { apiKeyId: string; prefix: string | null; name: string; scope: string };
}
interface AuditPage {
  items: Array<{
    id: string;
    action: string;
    target: string;
    actor: { apiKeyId: string | null; prefix: string | null; name: string | null };
    change: Record<string, unknown>;
  }>;
  nextCursor: string | null;
}

const definition = {
  targetType: 'contact',
  steps: [{ delayMinutes: 60, channel: 'email', content: 'Welcome!' }],
} satisfies Partial<SequenceDefinition>;

describe('account administration: settings, keys and their scopes, the audit, and account isolation', () => {
  const env = useTestEnvironment();
  let admin: HttpClient;
  let accountId: string;
  let adminKeyId: string;

  beforeAll(async () => {
    await env.start(enrollmentRole);
    const api = await env.start(apiRole);
    accountId = (await createAccount(env.db, { timeZone: 'UTC' })).id;
    admin = new HttpClient(api, await issueApiKey(env.db, accountId));
    adminKeyId = (await admin.get<AccountView>('/v1/account')).body.caller.apiKeyId;
  });

  const audit = async (query = '') => (await admin.get<AuditPage>(`/v1/account/audit${query}`)).body;

  it('GET /v1/account names the account and the calling key; PATCH changes it, audited with before and after', async () => {
    const before = await admin.get<AccountView>('/v1/account');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      id: accountId,
      timeZone: 'UTC',
      maestroEnabled: false,
      sendWindow: null,
      caller: {
        apiKeyId: adminKeyId,
        scope: 'admin',
        name: 'test',
        prefix: expect.stringMatching(/^cad_.{8}$/),
      },
    });
    const window = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 18 };
    const patched = await admin.patch<AccountView>('/v1/account', {
      maestroEnabled: true,
      timeZone: 'Europe/Paris',
      sendWindow: window,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      maestroEnabled: true,
      timeZone: 'Europe/Paris',
      sendWindow: window,
    });
    expect((await admin.get<AccountView>('/v1/account')).body).toMatchObject({ timeZone: 'Europe/Paris' });

    const [entry] = (await audit()).items;
    expect(entry).toMatchObject({
      action: 'account.updated',
      target: accountId,
      actor: { apiKeyId: adminKeyId, name: 'test', prefix: before.body.caller.prefix },
      change: {
        before: { maestroEnabled: false, timeZone: 'UTC', sendWindow: null },
        after: { maestroEnabled: true, timeZone: 'Europe/Paris', sendWindow: window },
      },
    });

    const cleared = await admin.patch<AccountView>('/v1/account', { sendWindow: null });
    expect(cleared.body.sendWindow).toBeNull();
    expect((await audit()).items[0]?.change).toEqual({
      before: { sendWindow: window },
      after: { sendWindow: null },
    });
  });

  it('refuses a zone Intl does not know, an invalid window and unknown fields, by path, and writes nothing', async () => {
    const entries = (await audit('?limit=200')).items.length;
    const bad = await admin.patch<Problem>('/v1/account', {
      timeZone: 'Mars/Olympus',
      sendWindow: { days: [1], startHour: 9, endHour: 9 },
      name: 'renamed',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(['name', 'sendWindow.endHour', 'timeZone']);
    expect((await audit('?limit=200')).items).toHaveLength(entries);
  });

  it('a created key works at once and is listed (never its secret) with its prefix, scope and last use', async () => {
    const created = await admin.post<KeyView>('/v1/account/api-keys', { name: 'ci bot', scope: 'enroll' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'ci bot',
      scope: 'enroll',
      lastUsedAt: null,
      revokedAt: null,
    });
    const secret = created.body.secret ?? '';
    expect(created.body.prefix).toBe(secret.slice(0, 12));

    const bot = admin.withKey(secret);
    const me = await bot.get<AccountView>('/v1/account');
    expect(me.body.caller).toEqual({
      apiKeyId: created.body.id,
      prefix: created.body.prefix,
      name: 'ci bot',
      scope: 'enroll',
    });

    const listed = await admin.get<{ items: KeyView[] }>('/v1/account/api-keys');
    const row = listed.body.items.find((k) => k.id === created.body.id);
    expect(row).toMatchObject({ prefix: created.body.prefix, scope: 'enroll', revokedAt: null });
    expect(row?.lastUsedAt).not.toBeNull();
    expect(listed.body.items.some((k) => 'secret' in k)).toBe(false);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // A second call within the minute does not write the last use again.
    const lastUsed = row?.lastUsedAt;
    await bot.get('/v1/account');
    const again = (await admin.get<{ items: KeyView[] }>('/v1/account/api-keys')).body.items.find(
      (k) => k.id === created.body.id,
    );
    expect(again?.lastUsedAt).toBe(lastUsed);
    expect((await audit()).items[0]).toMatchObject({
      action: 'api_key.created',
      target: created.body.id,
      change: { name: 'ci bot', scope: 'enroll', prefix: created.body.prefix },
    });
  });

  it('a revoked key and a rotated-away key get 401; the rotated one keeps name and scope; revoking is idempotent', async () => {
    const first = (await admin.post<KeyView>('/v1/account/api-keys', { name: 'to revoke', scope: 'admin' }))
      .body;
    const revoked = await admin.post<KeyView>(`/v1/account/api-keys/${first.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await admin.withKey(first.secret ?? '').get<Problem>('/v1/account')).status).toBe(401);
    const twice = await admin.post<KeyView>(`/v1/account/api-keys/${first.id}/revoke`);
    expect([twice.status, twice.body.revokedAt]).toEqual([200, revoked.body.revokedAt]);
    expect(
      (await audit('?limit=200')).items.filter(
        (e) => e.action === 'api_key.revoked' && e.target === first.id,
      ),
    ).toHaveLength(1);
    const rotateRevoked = await admin.post<Problem>(`/v1/account/api-keys/${first.id}/rotate`);
    expect([rotateRevoked.status, rotateRevoked.body.code]).toEqual([409, 'api_key_revoked']);

    const old = (await admin.post<KeyView>('/v1/account/api-keys', { name: 'rotating', scope: 'enroll' }))
      .body;
    expect((await admin.withKey(old.secret ?? '').get('/v1/account')).status).toBe(200);
    const rotated = await admin.post<KeyView>(`/v1/account/api-keys/${old.id}/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      name: 'rotating',
      scope: 'enroll',
      replaces: old.id,
      revokedAt: null,
    });
    expect(rotated.body.id).not.toBe(old.id);
    expect((await admin.withKey(old.secret ?? '').get<Problem>('/v1/account')).status).toBe(401);
    const fresh = await admin.withKey(rotated.body.secret ?? '').get<AccountView>('/v1/account');
    expect([fresh.status, fresh.body.caller.apiKeyId]).toEqual([200, rotated.body.id]);
    const keys = (await admin.get<{ items: KeyView[] }>('/v1/account/api-keys')).body.items;
    expect(keys.find((k) => k.id === old.id)?.revokedAt).not.toBeNull();
    expect((await audit()).items[0]).toMatchObject({
      action: 'api_key.rotated',
      target: old.id,
      change: { replacedBy: rotated.body.id },
    });
  });

  it('an enroll-only key gets 403 insufficient_scope on every admin route, and 2xx on enrollment work', async () => {
    const enrollKey = (
      await admin.post<KeyView>('/v1/account/api-keys', { name: 'enroller', scope: 'enroll' })
    ).body;
    const bot = admin.withKey(enrollKey.secret ?? '');
    const sequenceId = (await createPublishedSequence(env.db, accountId, definition)).id;
    const dlq = `${env.topics.enrollmentCommands}.dlq`;
    const adminRoutes: Array<[string, string, unknown?]> = [
      ['PATCH', '/v1/account', { maestroEnabled: false }],
      ['GET', '/v1/account/api-keys'],
      ['POST', '/v1/account/api-keys', { name: 'x', scope: 'admin' }],
      ['POST', `/v1/account/api-keys/${enrollKey.id}/revoke`],
      ['POST', `/v1/account/api-keys/${enrollKey.id}/rotate`],
      ['GET', '/v1/account/audit'],
      ['POST', '/v1/sequences', { name: 'x', definition }],
      ['PUT', `/v1/sequences/${sequenceId}`, { name: 'x', definition }],
      ['POST', `/v1/sequences/${sequenceId}/publish`],
      ['POST', `/v1/sequences/${sequenceId}/activate`],
      ['POST', `/v1/sequences/${sequenceId}/deactivate`],
      ['GET', '/v1/dead-letters'],
      ['GET', `/v1/dead-letters/${dlq}`],
      ['POST', `/v1/dead-letters/${dlq}/replay`],
    ];
    const answers = await Promise.all(
      adminRoutes.map(async ([method, path, body]) => {
        const response =
          method === 'GET'
            ? await bot.get<Problem>(path)
            : method === 'PUT'
              ? await bot.put<Problem>(path, body)
              : method === 'PATCH'
                ? await bot.patch<Problem>(path, body)
                : await bot.post<Problem>(path, body);
        return `${method} ${path} ${response.status} ${response.body.code} ${response.body.type}`;
      }),
    );
    expect(answers).toEqual(
      adminRoutes.map(
        ([method, path]) => `${method} ${path} 403 insufficient_scope urn:cadence:problem:insufficient_scope`,
      ),
    );

    const enrolled = await bot.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId,
      contactId: 'via-enroll-key',
    });
    expect(enrolled.status).toBe(202);
    const decision = await waitUntil(
      'the decision',
      () => bot.get<{ reason: string; enrollmentId: string }>(`/v1/decisions/${enrolled.body.requestId}`),
      (r) => r.status === 200,
    );
    expect(decision.body.reason).toBe('enrolled');
    const enrollmentId = decision.body.enrollmentId;
    const reads = await Promise.all(
      [
        '/v1/account',
        '/v1/sequences',
        `/v1/sequences/${sequenceId}`,
        `/v1/sequences/${sequenceId}/versions/1`,
        `/v1/sequences/${sequenceId}/funnel`,
        `/v1/enrollments?sequenceId=${sequenceId}`,
        `/v1/enrollments/${enrollmentId}`,
        `/v1/decisions?contactId=via-enroll-key&sequenceId=${sequenceId}`,
      ].map(async (path) => `${path} ${(await bot.get(path)).status}`),
    );
    expect(reads.every((line) => line.endsWith(' 200'))).toBe(true);
    expect((await bot.post(`/v1/enrollments/${enrollmentId}/pause`)).status).toBe(202);
    expect(
      (await bot.post('/v1/enrollments/manual', { sequenceId, userId: 'u-1', contactId: 'manual-1' })).status,
    ).toBe(202);
  });

  it("another account's key sees 404 for this account's keys, sequences, enrollments and funnels", async () => {
    const otherAccount = (await createAccount(env.db)).id;
    const other = admin.withKey(await issueApiKey(env.db, otherAccount));
    const sequenceId = (await createPublishedSequence(env.db, accountId, definition)).id;
    const enrolled = await admin.post<{ requestId: string }>('/v1/enrollments', {
      sequenceId,
      contactId: 'mine',
    });
    const decision = await waitUntil(
      'the decision',
      () => admin.get<{ enrollmentId: string | null }>(`/v1/decisions/${enrolled.body.requestId}`),
      (r) => r.status === 200,
    );
    const enrollmentId = decision.body.enrollmentId ?? '';
    const paths: Array<[string, string]> = [
      ['POST', `/v1/account/api-keys/${adminKeyId}/revoke`],
      ['POST', `/v1/account/api-keys/${adminKeyId}/rotate`],
      ['GET', `/v1/sequences/${sequenceId}`],
      ['PUT', `/v1/sequences/${sequenceId}`],
      ['POST', `/v1/sequences/${sequenceId}/publish`],
      ['POST', `/v1/sequences/${sequenceId}/deactivate`],
      ['GET', `/v1/sequences/${sequenceId}/versions/1`],
      ['GET', `/v1/sequences/${sequenceId}/funnel`],
      ['GET', `/v1/enrollments/${enrollmentId}`],
      ['POST', `/v1/enrollments/${enrollmentId}/cancel`],
    ];
    const answers = await Promise.all(
      paths.map(async ([method, path]) => {
        const response =
          method === 'GET'
            ? await other.get(path)
            : method === 'PUT'
              ? await other.put(path, { name: 'x', definition })
              : await other.post(path);
        return `${method} ${path} ${response.status}`;
      }),
    );
    expect(answers).toEqual(paths.map(([method, path]) => `${method} ${path} 404`));
    // Nothing of the other account is listed, and its attempts changed nothing here.
    expect(
      (await other.get<{ items: KeyView[] }>('/v1/account/api-keys')).body.items.map((k) => k.id),
    ).not.toContain(adminKeyId);
    expect((await other.get<unknown[]>('/v1/sequences')).body).toEqual([]);
    expect((await admin.get('/v1/account')).status).toBe(200);
    expect((await other.get<AuditPage>('/v1/account/audit')).body.items.map((e) => e.target)).not.toContain(
      sequenceId,
    );
  });

  it('pages the audit newest first with a cursor, every sequence change in it with its actor', async () => {
    const created = await admin.post<{ id: string }>('/v1/sequences', { name: 'Audited', definition });
    const id = created.body.id;
    await admin.put(`/v1/sequences/${id}`, { name: 'Audited again', definition });
    await admin.post(`/v1/sequences/${id}/publish`);
    await admin.post(`/v1/sequences/${id}/activate`);
    await admin.post(`/v1/sequences/${id}/deactivate`);
    const first = await admin.get<AuditPage>('/v1/account/audit?limit=3');
    expect(first.body.items.map((e) => e.action)).toEqual([
      'sequence.deactivated',
      'sequence.activated',
      'sequence.published',
    ]);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await admin.get<AuditPage>(
      `/v1/account/audit?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
    );
    expect(second.body.items.map((e) => [e.action, e.target])).toEqual([
      ['sequence.updated', id],
      ['sequence.created', id],
    ]);
    expect(second.body.items[0]?.change).toMatchObject({
      before: { name: 'Audited' },
      after: { name: 'Audited again' },
    });
    expect(first.body.items.every((e) => e.actor.apiKeyId === adminKeyId)).toBe(true);
    const all = (await admin.get<AuditPage>('/v1/account/audit?limit=200')).body.items;
    const ids = all.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const bad = await admin.get<Problem>('/v1/account/audit?cursor=nonsense');
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, 'cursor']);
  });
});
