import { useState } from 'preact/hooks';
import { useSignedIn } from '../account-context';
import { api, type ApiError } from '../api/client';
import { KEY_SCOPES, type ApiKey, type IssuedApiKey, type KeyScope } from '../api/types';
import { Empty, ErrorNotice, Loading } from '../components/states';
import { Time } from '../components/time';
import { session } from '../session';
import { asApiError, useResource } from '../use-resource';

function NewSecret({ issued, onDone }: { issued: IssuedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const continues = issued.secret === session.key();
  return (
    <div class="notice secret" role="status">
      <p>
        <strong>{issued.replaces ? 'Rotated' : 'Created'}</strong> key “{issued.name}” ({issued.scope}). Copy
        its secret now: it is shown only once.
        {continues && ' This session now uses it.'}
      </p>
      <p>
        <label for="new-secret">Secret</label>
        <input
          id="new-secret"
          readOnly
          value={issued.secret}
          onFocus={(event) => event.currentTarget.select()}
        />
      </p>
      <div class="button-row">
        <button
          type="button"
          class="button secondary"
          onClick={() => void navigator.clipboard?.writeText(issued.secret).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" class="button secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function KeyRow({
  apiKey,
  own,
  onIssued,
  onChanged,
}: {
  apiKey: ApiKey;
  own: boolean;
  onIssued: (issued: IssuedApiKey) => void;
  onChanged: () => void;
}) {
  const [confirming, setConfirming] = useState<'revoke' | 'rotate' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (action: 'revoke' | 'rotate') => {
    setBusy(true);
    setError(null);
    setConfirming(null);
    try {
      if (action === 'rotate') {
        const issued = await api.rotateApiKey(apiKey.id);
        // The old key stopped working: this session goes on with its replacement.
        if (own) session.continueWith(issued.secret);
        onIssued(issued);
      } else await api.revokeApiKey(apiKey.id);
      onChanged();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  const revoked = apiKey.revokedAt !== null;
  return (
    <tr class={revoked ? 'revoked' : undefined}>
      <td data-label="Name">
        {apiKey.name}
        {own && <span class="badge scope"> this session</span>}
      </td>
      <td data-label="Prefix">
        {apiKey.prefix ? <code>{apiKey.prefix}…</code> : <span class="muted">not kept</span>}
      </td>
      <td data-label="Scope">{apiKey.scope}</td>
      <td data-label="Created">
        <Time at={apiKey.createdAt} />
      </td>
      <td data-label="Last used">
        <Time at={apiKey.lastUsedAt} empty="never" />
      </td>
      <td data-label="Status">
        {revoked ? (
          <span>
            revoked <Time at={apiKey.revokedAt} />
          </span>
        ) : (
          <span class="badge state-active">active</span>
        )}
      </td>
      <td data-label="Actions">
        {!revoked && confirming === null && (
          <div class="button-row">
            <button
              type="button"
              class="button secondary small"
              disabled={busy}
              aria-label={`Rotate ${apiKey.name}`}
              onClick={() => setConfirming('rotate')}
            >
              Rotate
            </button>
            <button
              type="button"
              class="button secondary small"
              disabled={busy}
              aria-label={`Revoke ${apiKey.name}`}
              onClick={() => setConfirming('revoke')}
            >
              Revoke
            </button>
          </div>
        )}
        {confirming && (
          <div class="button-row">
            <span class="small">
              {confirming === 'revoke' ? 'Revoke' : 'Rotate'} {own ? 'the key of this session' : 'it'}?
            </span>
            <button
              type="button"
              class="button danger small"
              disabled={busy}
              onClick={() => void run(confirming)}
            >
              Confirm {confirming}
            </button>
            <button type="button" class="button secondary small" onClick={() => setConfirming(null)}>
              Keep
            </button>
          </div>
        )}
        {error && <ErrorNotice error={error} />}
      </td>
    </tr>
  );
}

/**
 * The account's API keys: create (the secret shown once), rotate, revoke. Revoking this session's key signs out;
 * rotating it keeps the session on the new key.
 */
export function ApiKeys() {
  const { account, refresh } = useSignedIn();
  const [keys, reload] = useResource(() => api.apiKeys(), []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<KeyScope>('enroll');
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);

  const create = async (event: Event) => {
    event.preventDefault();
    setCreating(true);
    setError(null);
    try {
      setIssued(await api.createApiKey(name.trim(), scope));
      setName('');
      reload();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setCreating(false);
    }
  };

  return (
    <div class="card">
      <h2>API keys</h2>
      {issued && <NewSecret issued={issued} onDone={() => setIssued(null)} />}
      {keys.status === 'loading' && <Loading what="API keys" />}
      {keys.status === 'error' && <ErrorNotice error={keys.error} retry={reload} />}
      {keys.status === 'ready' && keys.data.items.length === 0 && (
        <Empty>
          <p>No API keys.</p>
        </Empty>
      )}
      {keys.status === 'ready' && keys.data.items.length > 0 && (
        <table class="table responsive" aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scope</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((apiKey) => (
              <KeyRow
                key={apiKey.id}
                apiKey={apiKey}
                own={apiKey.id === account?.caller.apiKeyId}
                onIssued={setIssued}
                onChanged={() => {
                  reload();
                  if (apiKey.id === account?.caller.apiKeyId) refresh();
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <form class="inline-form" aria-label="Create an API key" onSubmit={(event) => void create(event)}>
        <div class="field">
          <label for="key-name">New key name</label>
          <input
            id="key-name"
            required
            maxLength={200}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="key-scope">Scope</label>
          <select
            id="key-scope"
            value={scope}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setScope(KEY_SCOPES.find((s) => s === value) ?? 'enroll');
            }}
          >
            <option value="enroll">enroll (enrollment work only)</option>
            <option value="admin">admin (everything)</option>
          </select>
        </div>
        <button type="submit" class="button" disabled={creating}>
          {creating ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
