import type { AccountFacts, SequenceFacts } from './enrollment-decision';
import type { SendWindow } from './send-window';
import type { SequenceDefinition } from './sequence-definition';

/** Accounts and sequences as stored. */

export interface NewAccount {
  id?: string;
  name: string;
  automationModuleEnabled?: boolean;
  maestroEnabled?: boolean;
  timeZone?: string;
  sendWindow?: SendWindow | null;
}

export interface Account extends AccountFacts {
  id: string;
  name: string;
  timeZone: string;
  /** The default send window of the account's sequences that set none; null: any time. */
  sendWindow: SendWindow | null;
}

/** What an operator may change of an account: any subset; `sendWindow: null` clears the default. */
export interface AccountChanges {
  automationModuleEnabled?: boolean;
  maestroEnabled?: boolean;
  timeZone?: string;
  sendWindow?: SendWindow | null;
}

export interface SequenceRecord extends SequenceFacts {
  accountId: string;
  name: string;
  draft: SequenceDefinition;
}
