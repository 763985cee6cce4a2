/** The tiny hash router: the current route as state, following `hashchange`; links are plain `href`s. */
import { useEffect, useState } from 'preact/hooks';
import { href, parseHash, type Params, type Route } from './routes';

export { href, type Params, type Route };

export function navigate(path: readonly string[], params: Params = {}): void {
  window.location.hash = href(path, params);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
