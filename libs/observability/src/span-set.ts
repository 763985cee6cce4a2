import type { Attributes } from '@opentelemetry/api';
import {
  recordFailure,
  runInSpan,
  startSpan,
  traceParentOf,
  type Span,
  type TraceParent,
} from './trace-context';

export interface SpanSetMember {
  /** What the member's span is found by (a request id, an enrollment id). */
  key: string;
  /** The trace the member continues (null: it starts one). */
  parent: TraceParent | null | undefined;
  attributes?: Attributes;
}

/**
 * The spans of a batch: one span for the batch, linking every member's trace, and one span per member, a child
 * of that member's own trace. A batch of a thousand requests is worked on at once, yet each request's trace
 * shows the work done for it, and what is published for a member continues that member's span.
 */
export class SpanSet {
  readonly batch: Span;
  private readonly members = new Map<string, Span>();

  constructor(batchName: string, memberName: string, members: readonly SpanSetMember[]) {
    this.batch = startSpan(batchName, {
      links: members.map((member) => member.parent ?? undefined),
      attributes: { 'cadence.batch_size': members.length },
    });
    for (const member of members) {
      if (this.members.has(member.key)) continue;
      this.members.set(
        member.key,
        startSpan(memberName, { parent: member.parent ?? null, attributes: member.attributes }),
      );
    }
  }

  /** Runs `work` with the batch span active (what it logs and sends without a member's trace joins the batch). */
  run<T>(work: () => Promise<T>): Promise<T> {
    return runInSpan(this.batch, work);
  }

  /** Runs `work` with the batch span active, then ends every span (the batch's recording a failure). */
  async runToEnd<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.run(work);
    } catch (error) {
      this.end(error);
      throw error;
    }
    this.end();
    return result;
  }

  /** The traceparent that continues member `key`'s span. */
  readonly traceParentOf = (key: string | null): TraceParent | undefined => {
    const span = key === null ? undefined : this.members.get(key);
    return span ? traceParentOf(span) : undefined;
  };

  annotate(key: string | null, attributes: Attributes): void {
    if (key !== null) this.members.get(key)?.setAttributes(attributes);
  }

  /** Ends every span; with an error, the batch span records it. */
  end(error?: unknown): void {
    if (error !== undefined) recordFailure(this.batch, error);
    for (const span of this.members.values()) span.end();
    this.batch.end();
  }
}
