import { Module } from '@nestjs/common';
import type { ProcessRole } from '@cadence/runtime';
import { ApplyTransitionsUseCase } from './apply-transitions.usecase';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { EnrollmentCommandsConsumer } from './enrollment-commands.consumer';
import { OutboxRelay } from '@cadence/runtime';

@Module({
  providers: [DecideEnrollmentsUseCase, ApplyTransitionsUseCase, OutboxRelay, EnrollmentCommandsConsumer],
})
export class EnrollmentAppModule {}

/** Decides every enroll command; the only writer of enrollments and decisions. */
export const enrollmentRole: ProcessRole = {
  name: 'enrollment',
  module: EnrollmentAppModule,
  workers: [EnrollmentCommandsConsumer],
};
