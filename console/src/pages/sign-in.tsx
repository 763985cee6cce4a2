import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import { ErrorNotice } from '../components/states';
import { session } from '../session';
import { asApiError } from '../use-resource';

/** Sign in with an API key of the account (`npm run account:create` prints one); kept for this tab only. */
export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const ended = session.endedBecause();

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return;
    setChecking(true);
    setError(null);
    try {
      await api.verifyKey(trimmed);
      session.signIn(trimmed);
    } catch (failure) {
      setError(asApiError(failure));
      setChecking(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <form class="card sign-in-card" onSubmit={(event) => void submit(event)}>
        <h1>Cadence console</h1>
        <p class="muted">Sign in with one of your account's API keys.</p>
        {ended && (
          <p class="notice" role="status">
            {ended}
          </p>
        )}
        <div class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="cad_…"
            required
            value={key}
            onInput={(event) => setKey(event.currentTarget.value)}
          />
          <p class="hint">
            The key stays in this tab's session storage and is sent only to this API. Create one with{' '}
            <code>npm run account:create</code>.
          </p>
        </div>
        {error && (
          <ErrorNotice
            error={
              error.status === 401
                ? new ApiError({ ...error.problem, detail: 'this key is unknown or revoked' })
                : error
            }
          />
        )}
        <button type="submit" class="button" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
