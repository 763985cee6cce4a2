import type { TargetType } from '@cadence/contracts';
import type { SequenceDefinition } from '@cadence/domain';

export interface IndexedSequence {
  sequenceId: string;
  accountId: string;
  targetType: TargetType;
  /** 'ai' when the event is the cue of an AI trigger (the command then goes through the AI gate). */
  method: 'event' | 'ai';
  /** Whether the account has the Maestro (no question is asked for an account without it). */
  maestroEnabled: boolean;
}

export interface IndexSource {
  id: string;
  accountId: string;
  active: boolean;
  publishedVersion: number | null;
  definition: SequenceDefinition | null;
  maestroEnabled?: boolean;
}

const indexKey = (accountId: string, eventType: string): string => `${accountId}|${eventType}`;

/** Which event type wakes which sequence, per account: built in memory so routing costs no query per event. */
export class SequenceTriggerIndex {
  private entries = new Map<string, IndexedSequence[]>();

  replaceAll(sources: readonly IndexSource[]): void {
    const next = new Map<string, IndexedSequence[]>();
    for (const source of sources) {
      if (!source.active || source.publishedVersion === null || !source.definition) continue;
      for (const { eventType, method } of listenedEvents(source.definition)) {
        const key = indexKey(source.accountId, eventType);
        const entry = {
          sequenceId: source.id,
          accountId: source.accountId,
          targetType: source.definition.targetType,
          method,
          maestroEnabled: source.maestroEnabled ?? false,
        };
        next.set(key, [...(next.get(key) ?? []), entry]);
      }
    }
    this.entries = next;
  }

  listeners(accountId: string, eventType: string): readonly IndexedSequence[] {
    return this.entries.get(indexKey(accountId, eventType)) ?? [];
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The event types a definition listens to: its event triggers, and the event cues of its AI triggers. */
function listenedEvents(
  definition: SequenceDefinition,
): Array<{ eventType: string; method: 'event' | 'ai' }> {
  return definition.triggers.flatMap((trigger): Array<{ eventType: string; method: 'event' | 'ai' }> => {
    if (trigger.type === 'event') return [{ eventType: trigger.eventType, method: 'event' as const }];
    if (trigger.type === 'ai' && trigger.cue.kind === 'event')
      return [{ eventType: trigger.cue.eventType, method: 'ai' as const }];
    return [];
  });
}
