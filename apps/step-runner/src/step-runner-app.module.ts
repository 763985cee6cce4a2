import { Module } from '@nestjs/common';
import type { ProcessRole } from '@cadence/runtime';
import { OutboxRelay } from '@cadence/outbox';
import { LifecycleMetrics } from '@cadence/runtime';
import { FireDueStepsUseCase } from './fire-due-steps.usecase';
import { DueBacklogGauge } from './due-backlog.gauge';
import { StepRunnerMetrics } from './step-runner-metrics';
import { StepTimerWorker } from './step-timer.worker';

@Module({
  providers: [
    FireDueStepsUseCase,
    LifecycleMetrics,
    StepRunnerMetrics,
    DueBacklogGauge,
    OutboxRelay,
    StepTimerWorker,
  ],
})
export class StepRunnerAppModule {}

/** The timer: fires due steps onto channel topics; runs as many instances as needed. */
export const stepRunnerRole: ProcessRole = {
  name: 'step-runner',
  module: StepRunnerAppModule,
  workers: [StepTimerWorker],
};
