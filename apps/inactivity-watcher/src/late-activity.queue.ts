import { Injectable } from '@nestjs/common';
import { MIN_INACTIVITY_LIMIT_MINUTES } from '@cadence/domain';
import type { ConversationKey, TimeRange } from '@cadence/domain';
import { MINUTE_MS } from './inactivity-rules';

/**
 * Conversations whose activity reached the watcher after an inactivity limit could already have passed
 * (ingest lagging by more than the shortest limit). The detector's time windows have moved past their
 * crossing, so it checks each of them once more on its next tick.
 */
@Injectable()
export class LateActivityQueue {
  private readonly pending = new Map<string, ConversationKey>();
  private horizonMs: number | null = null;

  /**
   * Set by the detector on each tick, before it reads: crossings older than its look-back are never enrolled,
   * so activity older than the look-back plus the longest limit is not late, only old.
   */
  watch(lookbackMs: number, longestLimitMs: number): void {
    this.horizonMs = lookbackMs + longestLimitMs;
  }

  /**
   * The last-activity times that count as late when activity arrives at `now`: at least the shortest limit
   * ago, and within the horizon (empty until the detector's first tick, whose look-back covers what came before).
   */
  lateRange(now: Date): TimeRange {
    const to = new Date(now.getTime() - MIN_INACTIVITY_LIMIT_MINUTES * MINUTE_MS);
    const from = this.horizonMs === null ? to : new Date(now.getTime() - this.horizonMs);
    return { from: from < to ? from : to, to };
  }

  add(conversations: readonly ConversationKey[]): void {
    for (const key of conversations) this.pending.set(`${key.accountId}|${key.conversationId}`, key);
  }

  /** What is waiting now; `settle` removes it once handled (on a failure it stays for the next tick). */
  peek(): ConversationKey[] {
    return [...this.pending.values()];
  }

  settle(conversations: readonly ConversationKey[]): void {
    for (const key of conversations) this.pending.delete(`${key.accountId}|${key.conversationId}`);
  }
}
