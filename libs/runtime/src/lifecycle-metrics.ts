import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { LIFECYCLE_TYPES, type LifecycleType } from '@cadence/contracts';
import { Metrics } from '@cadence/observability';

/** `cadence_enrollment_transitions_total{type}`: enrollment state changes committed by this process. */
@Injectable()
export class LifecycleMetrics {
  private readonly transitions: Counter<'type'>;

  constructor(metrics: Metrics) {
    this.transitions = metrics.counter(
      'cadence_enrollment_transitions_total',
      'Enrollment state changes committed (steps sent, pauses, resumes, exits, completions, cancels)',
      ['type'],
    );
    for (const type of LIFECYCLE_TYPES) this.transitions.inc({ type }, 0);
  }

  committed(events: ReadonlyArray<{ type: LifecycleType }>): void {
    const counts = new Map<LifecycleType, number>();
    for (const { type } of events) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, n] of counts) this.transitions.inc({ type }, n);
  }
}
