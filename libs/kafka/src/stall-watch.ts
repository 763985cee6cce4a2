/** Where a partition batch is in its way through a consumer. */
export type BatchStage = 'decode' | 'handle' | 'dead-letters' | 'commit' | 'heartbeat';

/**
 * Notices a consumer that stopped moving: a batch stuck in one stage longer than the limit, or no batch and no
 * heartbeat for that long (kafkajs heartbeats between fetches, every few seconds, even on an idle topic). A
 * kafkajs consumer was seen to stop this way after a broker was killed (a request left pending on the dead
 * broker's connection), keeping its partitions and processing nothing until the process restarted.
 */
export class StallWatch {
  private readonly batches = new Map<string, { stage: BatchStage; since: number }>();
  private lastProgressAt: number;
  private lastBatchAt: number;

  constructor(
    private readonly limitMs: number,
    now: number,
  ) {
    this.lastProgressAt = now;
    this.lastBatchAt = now;
  }

  enter(batch: string, stage: BatchStage, now: number): void {
    this.batches.set(batch, { stage, since: now });
  }

  leave(batch: string, now: number): void {
    this.batches.delete(batch);
    this.lastProgressAt = now;
    this.lastBatchAt = now;
  }

  /** A heartbeat or a joined group: the consumer is alive. */
  progress(now: number): void {
    this.lastProgressAt = now;
  }

  /** Whether no batch has ended for longer than the limit: then ask whether messages are waiting. */
  idle(now: number): boolean {
    return this.batches.size === 0 && now - this.lastBatchAt > this.limitMs;
  }

  /**
   * A consumer that heartbeats but fetches nothing while its group has `backlog` messages waiting (seen after a
   * broker was killed: partitions whose leader moved were never fetched again).
   */
  stalledWithBacklog(now: number, backlog: number): string | undefined {
    if (backlog <= 0 || !this.idle(now)) return undefined;
    return `${backlog} message(s) waiting and no batch for ${Math.round((now - this.lastBatchAt) / 1000)} s`;
  }

  /** What is stuck, or undefined while everything moves. */
  stalled(now: number): string | undefined {
    for (const [batch, { stage, since }] of this.batches) {
      if (now - since > this.limitMs)
        return `batch ${batch} stuck in ${stage} for ${Math.round((now - since) / 1000)} s`;
    }
    if (this.batches.size === 0 && now - this.lastProgressAt > this.limitMs)
      return `no batch and no heartbeat for ${Math.round((now - this.lastProgressAt) / 1000)} s`;
    return undefined;
  }
}
