import { apiRole } from '../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import {
  ENROLLMENT_METHODS,
  contactKey,
  emptyProvenance,
  toCommandRecord,
  type EnrollCommand,
  type EnrollmentMethod,
} from '../../libs/contracts/src';
import { REASON_CODES, REQUEST_REFUSAL_REASONS } from '../../libs/domain/src';
import { createAccount, createPublishedSequence, enrollCommand, issueApiKey } from '../support/fixtures';
import { HttpClient } from '../support/http-client';
import { scrapeMetrics, sumOf } from '../support/metrics';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

describe('one active enrollment per contact, sequence and target, whatever the entry point', () => {
  const env = useTestEnvironment();

  it('200 concurrent requests through every entry point end in one enrollment and 199 duplicates or replays', async () => {
    const enrollment = await env.start(enrollmentRole);
    const api = await env.start(apiRole);
    const account = await createAccount(env.db, { automationModuleEnabled: true, maestroEnabled: true });
    const http = new HttpClient(api, await issueApiKey(env.db, account.id));
    const sequence = await createPublishedSequence(env.db, account.id, {
      triggers: [
        { type: 'event', eventType: 'lead.created' },
        { type: 'inactivity', limitMinutes: 60, statuses: ['open', 'pending'] },
        { type: 'ai', cue: { kind: 'event', eventType: 'conversation.idle' } },
      ],
      steps: [{ delayMinutes: 30, channel: 'whatsapp', content: 'Still there?' }],
    });
    const contactId = 'zoe';
    const base = { accountId: account.id, contactId, sequenceId: sequence.id };
    // Every 10th request of some entry points reuses one idempotency key, so replays mix with duplicates.
    const keyFor = (entry: string, i: number) => (i % 10 === 0 ? `${entry}-key` : undefined);

    const directCommand = (method: EnrollmentMethod, i: number): EnrollCommand =>
      enrollCommand({
        ...base,
        method,
        idempotencyKey: keyFor(method, i) ?? null,
        provenance: {
          ...emptyProvenance(),
          ...(method === 'automation' ? { ruleId: `rule-${i}` } : {}),
          ...(method === 'macro' ? { macroId: `macro-${i}`, agentId: 'agent-1' } : {}),
          ...(method === 'flow' ? { flowId: 'flow-1', nodeId: `node-${i}` } : {}),
          ...(method === 'event' ? { eventId: `event-${i}`, eventType: 'lead.created' } : {}),
          ...(method === 'inactivity' ? { conversationId: 'conv-1' } : {}),
          ...(method === 'ai' ? { conversationId: 'conv-1', maestroVerdict: 'yes' } : {}),
        },
      });
    const perEntry = 20;
    const range = Array.from({ length: perEntry }, (_, i) => i);
    const key = contactKey(account.id, contactId);
    const requests: Array<Promise<string[]>> = [
      ...range.map(async (i) => {
        const response = await http.post<{ requestId: string }>('/v1/enrollments/manual', {
          sequenceId: sequence.id,
          contactId,
          userId: `user-${i}`,
          idempotencyKey: keyFor('manual', i),
        });
        return [response.body.requestId];
      }),
      ...range.map(async (i) => {
        const response = await http.post<{ requestId: string }>('/v1/enrollments', {
          sequenceId: sequence.id,
          contactId,
          idempotencyKey: keyFor('api', i),
        });
        return [response.body.requestId];
      }),
      // Bulk: two calls of twenty copies of the contact each.
      ...[0, 1].map(async (i) => {
        const response = await http.post<{ requests: Array<{ requestId: string }> }>('/v1/enrollments/bulk', {
          sequenceId: sequence.id,
          userId: `bulk-user-${i}`,
          contacts: Array.from({ length: 20 }, () => ({ contactId })),
        });
        return response.body.requests.map((r) => r.requestId);
      }),
      ...(['automation', 'macro', 'flow'] as const).flatMap((method) =>
        range.map(async (i) => {
          const command = directCommand(method, i);
          await env.producer.send([
            { topic: env.topics.automationCommands, key, value: toCommandRecord(command) },
          ]);
          return [command.commandId];
        }),
      ),
      ...(['event', 'inactivity', 'ai'] as const).flatMap((method) =>
        range.map(async (i) => {
          const command = directCommand(method, i);
          await env.sendCommands([command]);
          return [command.commandId];
        }),
      ),
    ];
    const requestIds = (await Promise.all(requests)).flat();
    expect(requestIds).toHaveLength(200);
    expect(new Set(requestIds).size).toBe(200);

    await waitUntil(
      '200 decisions',
      async () =>
        (
          await env.db.query<Array<{ n: number }>>(
            `SELECT count(*)::int AS n FROM enrollment_decisions WHERE account_id = $1`,
            [account.id],
          )
        )[0]!.n,
      (decided) => decided >= 200,
      { timeoutMs: 60_000 },
    );
    // Barrier: the enrollment group has committed every command (so nothing more is being decided), and the
    // app has counted all 200 in /metrics (each batch is counted, with its lag, just after its commit).
    await env.drained([enrollmentRole]);
    await waitUntil(
      'the enrollment app to count 200 messages handled',
      async () =>
        sumOf(await scrapeMetrics(enrollment), 'cadence_consumer_messages_total', {
          handler: 'enrollment-commands',
        }),
      (handled) => handled >= 200,
    );
    const decisions: Array<{ request_id: string; reason: string; method: string }> = await env.db.query(
      `SELECT request_id, reason, method FROM enrollment_decisions WHERE account_id = $1`,
      [account.id],
    );
    const enrollments: Array<{ state: string; request_id: string }> = await env.db.query(
      `SELECT state, request_id FROM enrollments WHERE account_id = $1`,
      [account.id],
    );

    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]!.state).toBe('active');
    expect(decisions).toHaveLength(200);
    expect(new Set(decisions.map((d) => d.request_id))).toEqual(new Set(requestIds));
    const reasons = decisions.reduce<Record<string, number>>(
      (count, d) => ({ ...count, [d.reason]: (count[d.reason] ?? 0) + 1 }),
      {},
    );
    expect(reasons.enrolled).toBe(1);
    expect((reasons.duplicate ?? 0) + (reasons.idempotent_replay ?? 0)).toBe(199);
    expect(Object.keys(reasons).sort()).toEqual(['duplicate', 'enrolled', 'idempotent_replay']);
    expect(new Set(decisions.map((d) => d.method))).toEqual(
      new Set(['manual', 'api', 'bulk', 'automation', 'macro', 'flow', 'event', 'inactivity', 'ai']),
    );
    const winner = decisions.find((d) => d.reason === 'enrolled')!;
    expect(enrollments[0]!.request_id).toBe(winner.request_id);

    // The enrollment app's /metrics counts the same decisions, by the same reason codes.
    const metrics = await scrapeMetrics(enrollment);
    const decided = 'cadence_enrollment_decisions_total';
    expect(sumOf(metrics, decided)).toBe(200);
    expect(sumOf(metrics, decided, { outcome: 'enrolled', reason: 'enrolled' })).toBe(1);
    expect(
      sumOf(metrics, decided, { reason: 'duplicate' }) +
        sumOf(metrics, decided, { reason: 'idempotent_replay' }),
    ).toBe(199);
    expect(sumOf(metrics, decided, { method: winner.method, reason: 'enrolled' })).toBe(1);
    // Every (method, reason) series exists, at zero where nothing happened (and the refusals of requests
    // that named no method, under method "unknown").
    expect(metrics.filter((m) => m.name === decided)).toHaveLength(
      ENROLLMENT_METHODS.length * REASON_CODES.length + REQUEST_REFUSAL_REASONS.length,
    );
    expect(metrics).toContainEqual({
      name: decided,
      labels: { method: 'ai', outcome: 'ignored', reason: 'maestro_declined' },
      value: 0,
    });
    expect(sumOf(metrics, 'cadence_consumer_messages_total', { handler: 'enrollment-commands' })).toBe(200);
    const lags = metrics.filter((m) => m.name === 'cadence_consumer_lag');
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((m) => m.value === 0)).toBe(true);
  });
});
