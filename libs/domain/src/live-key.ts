import type { EnrollCommand, TargetRef, TargetType } from '@cadence/contracts';
import type { SequenceDefinition } from './sequence-definition';

/** What "one active-or-paused enrollment per contact, sequence and target" is counted over. */
export interface LiveKey {
  accountId: string;
  sequenceId: string;
  contactId: string;
  targetType: TargetType;
  targetId: string;
}

export const liveKeyString = (key: LiveKey): string =>
  [key.accountId, key.sequenceId, key.contactId, key.targetType, key.targetId].join('|');

/** The object an enroll command is about: the one it names, or else the contact itself. */
export const commandTarget = (command: EnrollCommand): TargetRef =>
  command.target ?? { type: 'contact', id: command.contactId };

/**
 * The live key of an enroll command, or null when its target is not of the sequence's target type (the
 * decision then refuses it). With the sequence unknown, the key is taken as the command names it.
 */
export function liveKeyOf(command: EnrollCommand, definition: SequenceDefinition | null): LiveKey | null {
  const target = commandTarget(command);
  if (definition && target.type !== definition.targetType) return null;
  return {
    accountId: command.accountId,
    sequenceId: command.sequenceId,
    contactId: command.contactId,
    targetType: target.type,
    targetId: target.id,
  };
}
