import { randomUUID } from 'node:crypto';
import { RetentionPrunerWorker } from '../../apps/enrollment/src/retention-pruner.worker';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { ManualClock } from '../../libs/domain/src';
import { createAccount, createPublishedSequence } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00Z');

describe('retention: what is past RETENTION_DAYS is dropped, the rest (and every live enrollment) is kept', () => {
  const env = useTestEnvironment({ RETENTION_DAYS: '30' });

  it('drops ended enrollments with their history and decision, old refusals and accepted requests; keeps the rest', async () => {
    const app = await env.start(enrollmentRole, { clock: new ManualClock(NOW) });
    const account = await createAccount(env.db);
    const sequence = await createPublishedSequence(env.db, account.id, {
      steps: [{ delayMinutes: 60, channel: 'sms', content: 'hello' }],
    });
    const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
    /** An enrollment made `createdDays` ago (ended `endedDays` ago, or live), with its history row and decision. */
    const enrollment = async (label: string, createdDays: number, endedDays: number | null) => {
      const id = randomUUID();
      const requestId = `request-${label}`;
      await env.db.query(
        `INSERT INTO enrollments (id, account_id, sequence_id, sequence_version, contact_id, target_type, target_id,
                                  method, state, request_id, end_reason, created_at, updated_at, ended_at)
         VALUES ($1, $2, $3, 1, $4, 'contact', $4, 'api', $5, $6, $7, $8, $8, $9)`,
        [
          id,
          account.id,
          sequence.id,
          label,
          endedDays === null ? 'active' : 'completed',
          requestId,
          endedDays === null ? null : 'completed',
          daysAgo(createdDays),
          endedDays === null ? null : daysAgo(endedDays),
        ],
      );
      await env.db.query(
        `INSERT INTO enrollment_history (account_id, enrollment_id, from_state, to_state, cause, at)
         VALUES ($1, $2, NULL, 'active', 'enrolled:api', $3)`,
        [account.id, id, daysAgo(createdDays)],
      );
      await decision(requestId, createdDays, id, label);
      return id;
    };
    const decision = (requestId: string, days: number, enrollmentId: string | null, contactId = 'x') =>
      env.db.query(
        `INSERT INTO enrollment_decisions (account_id, request_id, contact_id, sequence_id, method, provenance,
                                           outcome, reason, enrollment_id, decided_at)
         VALUES ($1, $2, $3, $4, 'api', '{}', $5, $6, $7, $8)`,
        [
          account.id,
          requestId,
          contactId,
          sequence.id,
          enrollmentId ? 'enrolled' : 'ignored',
          enrollmentId ? 'enrolled' : 'duplicate',
          enrollmentId,
          daysAgo(days),
        ],
      );
    const accepted = (requestId: string, days: number) =>
      env.db.query(
        `INSERT INTO accepted_requests (account_id, request_id, kind, accepted_at) VALUES ($1, $2, 'enroll', $3)`,
        [account.id, requestId, daysAgo(days)],
      );

    const expired = await enrollment('ended-long-ago', 90, 60);
    const recent = await enrollment('ended-recently', 90, 10);
    const oldButLive = await enrollment('live-for-a-year', 365, null);
    await decision('refused-long-ago', 45, null);
    await decision('refused-recently', 5, null);
    await accepted('accepted-long-ago', 45);
    await accepted('accepted-recently', 5);

    const dropped = await app.get(RetentionPrunerWorker).prune();
    expect(dropped).toMatchObject({ enrollments: 1, history: 1, decisions: 2, acceptedRequests: 1 });

    const ids = async (sql: string) =>
      (await env.db.query<Array<{ id: string }>>(sql)).map((r) => r.id).sort();
    expect(await ids(`SELECT id::text AS id FROM enrollments`)).toEqual([recent, oldButLive].sort());
    expect(await ids(`SELECT enrollment_id::text AS id FROM enrollment_history`)).toEqual(
      [recent, oldButLive].sort(),
    );
    expect(await ids(`SELECT request_id AS id FROM enrollment_decisions`)).toEqual(
      ['request-ended-recently', 'request-live-for-a-year', 'refused-recently'].sort(),
    );
    expect(await ids(`SELECT request_id AS id FROM accepted_requests`)).toEqual(['accepted-recently']);
    expect(expired).not.toEqual(recent);
    // A second pass finds nothing more.
    expect(await app.get(RetentionPrunerWorker).prune()).toMatchObject({ enrollments: 0, decisions: 0 });
  });
});
