import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '@cadence/observability';
import { DLQ_REASONS, type DlqReason } from './message-result';

/** What ops watch per stream consumer: throughput, dead letters by reason, batch time and partition lag. */
@Injectable()
export class ConsumerMetrics {
  private readonly messages: Counter<'handler' | 'topic'>;
  private readonly deadLetters: Counter<'handler' | 'topic' | 'reason'>;
  private readonly batchSeconds: Histogram<'handler'>;
  private readonly lag: Gauge<'handler' | 'topic' | 'partition'>;

  constructor(metrics: Metrics) {
    this.messages = metrics.counter('cadence_consumer_messages_total', 'Messages consumed and committed', [
      'handler',
      'topic',
    ]);
    this.deadLetters = metrics.counter(
      'cadence_consumer_dead_letters_total',
      'Messages sent to the dead-letter topic, by reason',
      ['handler', 'topic', 'reason'],
    );
    this.batchSeconds = metrics.histogram(
      'cadence_consumer_batch_seconds',
      'Time to decode, handle and commit one partition batch',
      ['handler'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    this.lag = metrics.gauge(
      'cadence_consumer_lag',
      'Messages behind the partition end after the last committed batch',
      ['handler', 'topic', 'partition'],
    );
  }

  /** Zero series for every dead-letter reason, so that dashboards and alerts see them before the first one. */
  declare(handler: string, topics: readonly string[]): void {
    for (const topic of topics) {
      this.messages.inc({ handler, topic }, 0);
      for (const reason of DLQ_REASONS) this.deadLetters.inc({ handler, topic, reason }, 0);
    }
  }

  committed(
    handler: string,
    batch: { topic: string; partition: number; messages: number; lag: number; seconds: number },
    deadLetters: ReadonlyArray<{ reason: DlqReason }>,
  ): void {
    this.messages.inc({ handler, topic: batch.topic }, batch.messages);
    for (const letter of deadLetters)
      this.deadLetters.inc({ handler, topic: batch.topic, reason: letter.reason });
    this.batchSeconds.observe({ handler }, batch.seconds);
    this.lag.set({ handler, topic: batch.topic, partition: String(batch.partition) }, batch.lag);
  }
}
