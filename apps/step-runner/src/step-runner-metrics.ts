import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import type { OutboundMessageCommand } from '@cadence/contracts';
import { STEP_PARK_REASONS, type StepParking } from '@cadence/domain';
import { Metrics } from '@cadence/observability';

/**
 * The step-runner's own figures: `cadence_steps_parked_total{reason}` (steps the planner could not plan) and
 * `cadence_step_fire_lag_seconds` (from a step's due time to its command going out, by committed passes).
 */
@Injectable()
export class StepRunnerMetrics {
  private readonly parkedTotal: Counter<'reason'>;
  private readonly fireLag: Histogram;

  constructor(metrics: Metrics) {
    this.parkedTotal = metrics.counter(
      'cadence_steps_parked_total',
      'Due steps parked because they could not be planned (their enrollment stays active, out of the due index)',
      ['reason'],
    );
    for (const reason of STEP_PARK_REASONS) this.parkedTotal.inc({ reason }, 0);
    this.fireLag = metrics.histogram(
      'cadence_step_fire_lag_seconds',
      "Time from a step's due time to its outbound command being sent",
      [],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    );
  }

  committed(parked: readonly StepParking[], sent: readonly OutboundMessageCommand[]): void {
    for (const { reason } of parked) this.parkedTotal.inc({ reason });
    for (const command of sent) this.fireLag.observe(Math.max(0, command.emittedAt - command.dueAt) / 1000);
  }
}
