import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { STEP_PARK_REASONS, type StepParking } from '@cadence/domain';
import { Metrics } from '@cadence/observability';

/** `cadence_steps_parked_total{reason}`: steps the planner could not plan, parked by committed passes. */
@Injectable()
export class ParkedStepMetrics {
  private readonly parkedTotal: Counter<'reason'>;

  constructor(metrics: Metrics) {
    this.parkedTotal = metrics.counter(
      'cadence_steps_parked_total',
      'Due steps parked because they could not be planned (their enrollment stays active, out of the due index)',
      ['reason'],
    );
    for (const reason of STEP_PARK_REASONS) this.parkedTotal.inc({ reason }, 0);
  }

  committed(parked: readonly StepParking[]): void {
    for (const { reason } of parked) this.parkedTotal.inc({ reason });
  }
}
