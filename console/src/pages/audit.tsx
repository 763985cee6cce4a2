import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { useResource } from '../use-resource';

/** Who changed what in the account, newest first, paged by the API's cursor. */
export function AuditList() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const [page, reload] = useResource(() => api.audit(cursor), [cursor]);
  return (
    <div class="card">
      <div class="page-head">
        <h2>Audit</h2>
        <button type="button" class="button secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {page.status === 'loading' && <Loading what="the audit list" />}
      {page.status === 'error' && <ErrorNotice error={page.error} retry={reload} />}
      {page.status === 'ready' && page.data.items.length === 0 && (
        <Empty>
          <p>No change recorded yet.</p>
        </Empty>
      )}
      {page.status === 'ready' && page.data.items.length > 0 && (
        <>
          <table class="table responsive" aria-label="Audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td data-label="When">
                    <Time at={entry.at} />
                  </td>
                  <td data-label="Who">
                    {entry.actor.apiKeyId ? (
                      <>
                        {entry.actor.name ?? 'a key'}{' '}
                        {entry.actor.prefix && <code>{entry.actor.prefix}…</code>}
                      </>
                    ) : (
                      <span class="muted">operator script</span>
                    )}
                  </td>
                  <td data-label="Action">
                    <code>{entry.action}</code>
                  </td>
                  <td data-label="Target">
                    <code class="wrap">{entry.target}</code>
                  </td>
                  <td data-label="Change">
                    <code class="wrap change">{JSON.stringify(entry.change)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label="Audit pages"
            cursors={cursors}
            nextCursor={page.data.nextCursor}
            onChange={setCursors}
          />
        </>
      )}
    </div>
  );
}
