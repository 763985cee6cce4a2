import type { TargetType } from '@cadence/contracts';
import type { SequenceDefinition } from '@cadence/domain';

export interface IndexedSequence {
  sequenceId: string;
  accountId: string;
  targetType: TargetType;
  /** 'ai' when the event is the cue of an AI trigger (the command then goes through the AI gate). */
  method: 'event' | 'ai';
}

export interface IndexSource {
  id: string;
  accountId: string;
  active: boolean;
  publishedVersion: number | null;
  definition: SequenceDefinition | null;
}

const indexKey = (accountId: string, eventType: string): string => `${accountId}|${eventType}`;

/** Which event type wakes which sequence, per account: built in memory so routing costs no query per event. */
export class SequenceTriggerIndex {
  private entries = new Map<string, IndexedSequence[]>();

  replaceAll(sources: readonly IndexSource[]): void {
    const next = new Map<string, IndexedSequence[]>();
    for (const source of sources) {
      const eventType = listenedEventType(source);
      if (!eventType || !source.definition) continue;
      const key = indexKey(source.accountId, eventType);
      next.set(key, [
        ...(next.get(key) ?? []),
        {
          sequenceId: source.id,
          accountId: source.accountId,
          targetType: source.definition.targetType,
          method: source.definition.trigger.type === 'ai' ? 'ai' : 'event',
        },
      ]);
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

function listenedEventType(source: IndexSource): string | null {
  if (!source.active || source.publishedVersion === null || !source.definition) return null;
  const trigger = source.definition.trigger;
  if (trigger.type === 'event') return trigger.eventType;
  if (trigger.type === 'ai' && trigger.cue.kind === 'event') return trigger.cue.eventType;
  return null;
}
