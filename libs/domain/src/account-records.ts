import type { AccountFacts, SequenceFacts } from './enrollment-decision';
import type { SequenceDefinition } from './sequence-definition';

/** Accounts and sequences as stored. */

export interface NewAccount {
  id?: string;
  name: string;
  automationModuleEnabled?: boolean;
  maestroEnabled?: boolean;
  timeZone?: string;
}

export interface Account extends AccountFacts {
  id: string;
  name: string;
  timeZone: string;
}

export interface SequenceRecord extends SequenceFacts {
  accountId: string;
  name: string;
  draft: SequenceDefinition;
}
