import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state state-empty">{children}</div>;
}

/** The API's problem as it answered it: the title, the detail, each field's error. */
export function ErrorNotice({ error, retry }: { error: ApiError; retry?: () => void }) {
  const { problem } = error;
  return (
    <div class="state state-error" role="alert">
      <p>
        <strong>{problem.title || 'Error'}</strong>
        {problem.status ? ` (${problem.status})` : ''}: {problem.detail}
      </p>
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path || '(body)'}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" class="button secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
