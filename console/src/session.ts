/**
 * Who is signed in: the API key, kept in sessionStorage (gone when the tab closes, never in localStorage or a
 * cookie), and why the last session ended. Components follow it with useSession(). A sign-in starts a new
 * session (the console starts afresh); rotating the session's own key goes on with the same session.
 */
import { useEffect, useState } from 'preact/hooks';

const STORAGE_KEY = 'cadence.console.apiKey';
const listeners = new Set<() => void>();
let endedBecause: string | null = null;
let started = 0;

const changed = () => listeners.forEach((listener) => listener());

export const session = {
  key(): string | null {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  signIn(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
    endedBecause = null;
    started++;
    changed();
  },
  /** The session's key was rotated: the same session goes on with the key that replaced it. */
  continueWith(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
    changed();
  },
  /** Which sign-in this is: changes on each sign-in, not when the session's key is rotated. */
  started(): number {
    return started;
  },
  /** `reason` is shown on the sign-in page (a revoked key, an expired session). */
  signOut(reason: string | null = null): void {
    if (this.key() === null && reason === endedBecause) return;
    sessionStorage.removeItem(STORAGE_KEY);
    endedBecause = reason;
    changed();
  },
  endedBecause(): string | null {
    return endedBecause;
  },
};

/** The current key (null when signed out), re-rendering on sign-in and sign-out. */
export function useSession(): string | null {
  const [key, setKey] = useState(session.key());
  useEffect(() => {
    const listener = () => setKey(session.key());
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return key;
}
