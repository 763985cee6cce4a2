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

const LOADING: Resource<never> = { status: 'loading' };

/**
 * Loads `load()` whenever the deps change, and shows "loading" from that very render (never the answer of other
 * deps); the last answer wins, earlier ones are dropped. `reload` reads again and keeps the current data shown
 * meanwhile (no flash of "loading" after an action); `replace` shows data an action answered.
 */
export function useResource<T>(
  load: () => Promise<T>,
  deps: ReadonlyArray<string | number | boolean | null | undefined>,
): [Resource<T>, () => void, (data: T) => void] {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<{ key: string; resource: Resource<T> }>({ key, resource: LOADING });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ key, resource: { status: 'ready', data } }),
      (error: unknown) =>
        current && setState({ key, resource: { status: 'error', error: asApiError(error) } }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const replace = useCallback((data: T) => setState({ key, resource: { status: 'ready', data } }), [key]);
  return [state.key === key ? state.resource : LOADING, reload, replace];
}

export { asApiError };
