import { Module } from '@nestjs/common';
import { OutboxRelay } from '@cadence/outbox';
import { LifecycleMetrics, type ProcessRole } from '@cadence/runtime';
import { ApplyTransitionsUseCase } from './apply-transitions.usecase';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { DecisionMetrics } from './decision-metrics';
import { EnrollmentCommandsHandler } from './enrollment-commands.handler';
import { RecordRefusedRequestsUseCase } from './record-refused-requests.usecase';
import { RetentionPrunerWorker } from './retention-pruner.worker';

@Module({
  providers: [
    DecideEnrollmentsUseCase,
    DecisionMetrics,
    ApplyTransitionsUseCase,
    LifecycleMetrics,
    OutboxRelay,
    EnrollmentCommandsHandler,
    RecordRefusedRequestsUseCase,
    RetentionPrunerWorker,
  ],
})
export class EnrollmentAppModule {}

/** Decides every enroll command; the only writer of enrollments and decisions. */
export const enrollmentRole: ProcessRole = {
  name: 'enrollment',
  module: EnrollmentAppModule,
  workers: [RetentionPrunerWorker],
  streams: [
    {
      handler: EnrollmentCommandsHandler,
      group: 'enrollment',
      topics: (t) => [t.enrollmentCommands, t.automationCommands],
    },
  ],
};
