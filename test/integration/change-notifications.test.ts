import { SEQUENCES_CHANGED_CHANNEL } from '../../libs/persistence/src';
import { ChangeNotifications } from '../../libs/persistence/src/change-notifications';
import { createAccount } from '../support/fixtures';
import { eventually } from '../support/http-client';
import { TestEnvironment } from '../support/test-environment';

describe('sequence change notifications (Postgres LISTEN/NOTIFY)', () => {
  let env: TestEnvironment;
  let notifications: ChangeNotifications | undefined;

  beforeAll(async () => {
    env = await TestEnvironment.create();
  });

  afterAll(async () => {
    await notifications?.stop();
    await env?.close();
  });

  it('hears committed changes, none before the commit, and survives losing its connection', async () => {
    let heard = 0;
    const errors: unknown[] = [];
    notifications = new ChangeNotifications({
      url: env.config.DATABASE_URL,
      channel: SEQUENCES_CHANGED_CHANNEL,
      onChange: () => heard++,
      onError: (error) => errors.push(error),
    });
    await notifications.start();

    // A change to accounts (or sequences) notifies once its transaction commits.
    await env.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO accounts (id, name) VALUES (gen_random_uuid(), 'in a transaction')`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toBe(0);
    });
    await eventually(async () => (heard === 1 ? true : undefined), 5_000);

    // The listening connection is killed: it reconnects, reports a change (it may have missed one), and hears on.
    await env.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = $1`,
      [`LISTEN ${SEQUENCES_CHANGED_CHANNEL}`],
    );
    await eventually(async () => (heard === 2 ? true : undefined), 10_000);
    expect(errors.length).toBeGreaterThan(0);
    await createAccount(env.db);
    await eventually(async () => (heard === 3 ? true : undefined), 5_000);
  });
});
