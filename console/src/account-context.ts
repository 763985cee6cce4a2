import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Account } from './api/types';

/** Who the console is signed in as (null until known), and a way to refresh it after a change. */
export interface SignedIn {
  account: Account | null;
  refresh: () => void;
  /** The user id the console writes on the requests it sends (manual enrollments, pauses…). */
  userId: string;
}

export const AccountContext = createContext<SignedIn>({
  account: null,
  refresh: () => {},
  userId: 'console',
});

export const useSignedIn = (): SignedIn => useContext(AccountContext);

/** `console:<key prefix or name>`: who asked, as the history and decisions show it. */
export const consoleUserId = (account: Account | null): string =>
  account ? `console:${account.caller.prefix ?? account.caller.name}` : 'console';
