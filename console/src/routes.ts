/**
 * The console's hash routes: `#/enrollments/<id>?state=active` is the route ['enrollments', '<id>'] with its
 * params. The hash keeps every page linkable and reloadable while the server serves one index.html. Pure
 * (test/unit/console/routes.spec.ts).
 */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

export type Params = Record<string, string | number | null | undefined>;

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [pathText = '', search = ''] = text.split('?', 2);
  const path = pathText
    .split('/')
    .filter((part) => part.length > 0)
    .map((part) => decodeURIComponent(part));
  return { path, params: new URLSearchParams(search) };
}

/** `#/a/b?x=1`: path segments encoded, params without the empty ones. */
export function href(path: readonly string[], params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const query = search.toString();
  return `#/${path.map((part) => encodeURIComponent(part)).join('/')}${query ? `?${query}` : ''}`;
}
