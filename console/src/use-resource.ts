import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api/client';

/** What a page shows while it reads: loading, the error the API answered, or the data. */
export type Resource<T> =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; data: T };

const asApiError = (error: unknown): ApiError =>
  error instanceof ApiError
    ? error
    : new ApiError({
        type: 'about:blank',
        title: 'Unexpected error',
        status: 0,
        detail: String(error),
        code: 'unexpected',
      });

/**
 * Loads `load()` when the deps change (the last answer wins, earlier ones are dropped); `reload` reads again
 * and keeps showing the current data meanwhile (no flash of "loading" after an action).
 */
export function useResource<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): [Resource<T>, () => void, (data: T) => void] {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => setResource({ status: 'loading' }), deps);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setResource({ status: 'ready', data }),
      (error: unknown) => current && setResource({ status: 'error', error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const replace = useCallback((data: T) => setResource({ status: 'ready', data }), []);
  return [resource, reload, replace];
}

export { asApiError };
