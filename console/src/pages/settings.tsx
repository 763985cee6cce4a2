import { api } from '../api/client';
import { ErrorNotice, Loading } from '../components/states';
import { useResource } from '../use-resource';
import { AccountSettings } from './account-settings';
import { ApiKeys } from './api-keys';
import { AuditList } from './audit';

/** The account's flags, time zone and send window; its API keys; the audit list. */
export function SettingsPage() {
  const [account, reload] = useResource(() => api.account(), []);
  return (
    <section>
      <h1>Settings</h1>
      {account.status === 'loading' && <Loading what="the account" />}
      {account.status === 'error' && <ErrorNotice error={account.error} retry={reload} />}
      {account.status === 'ready' && <AccountSettings account={account.data} />}
      <ApiKeys />
      <AuditList />
    </section>
  );
}
