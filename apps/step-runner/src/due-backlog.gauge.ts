import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@cadence/domain';
import { Metrics } from '@cadence/observability';
import { EnrollmentQueriesRepository } from '@cadence/persistence';
import { CLOCK } from '@cadence/runtime';

/** `cadence_steps_due`: steps due and not fired yet, counted when Prometheus scrapes (the due index's range). */
@Injectable()
export class DueBacklogGauge {
  constructor(metrics: Metrics, queries: EnrollmentQueriesRepository, @Inject(CLOCK) clock: Clock) {
    metrics.gaugeReading('cadence_steps_due', 'Steps due and not fired yet (all step-runners)', () =>
      queries.countDue(clock.now()),
    );
  }
}
