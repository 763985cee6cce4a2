import { ChangeNotifications, SEQUENCES_CHANGED_CHANNEL } from '../../libs/persistence/src';
import { createAccount } from '../support/fixtures';
import { useTestEnvironment } from '../support/use-test-environment';
import { waitUntil } from '../support/wait-until';

describe('sequence change notifications (Postgres LISTEN/NOTIFY)', () => {
  const env = useTestEnvironment();

  it('hears committed changes, none before the commit, and survives losing its connection', async () => {
    let heard = 0;
    const errors: unknown[] = [];
    const notifications = new ChangeNotifications({
      url: env.config.DATABASE_URL,
      channel: SEQUENCES_CHANGED_CHANNEL,
      onChange: () => heard++,
      onError: (error) => errors.push(error),
    });
    await notifications.start();
    const heardCount = async (count: number, timeoutMs: number) => {
      await waitUntil(
        `${count} notifications heard`,
        () => heard,
        (n) => n >= count,
        { timeoutMs },
      );
      expect(heard).toBe(count);
    };
    try {
      // A change to accounts (or sequences) notifies once its transaction commits.
      await env.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO accounts (id, name) VALUES (gen_random_uuid(), 'in a transaction')`);
        // Barrier: a notification committed on its own after the insert. Notifications arrive in commit
        // order, so once this one is heard, one the insert sent before it would have been heard too.
        await env.db.query(`SELECT pg_notify($1, 'probe')`, [SEQUENCES_CHANGED_CHANNEL]);
        await heardCount(1, 15_000); // the probe alone: nothing of the uncommitted insert
      });
      await heardCount(2, 15_000);

      // The listening connection is killed: it reconnects, reports a change (it may have missed one), and hears on.
      await env.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query = $1`,
        [`LISTEN ${SEQUENCES_CHANGED_CHANNEL}`],
      );
      await heardCount(3, 20_000);
      expect(errors.length).toBeGreaterThan(0);
      await createAccount(env.db);
      await heardCount(4, 15_000);
    } finally {
      await notifications.stop();
    }
  });
});
