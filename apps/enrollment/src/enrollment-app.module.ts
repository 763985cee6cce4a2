import { Module } from '@nestjs/common';
import type { ProcessRole } from '@cadence/runtime';
import { DecideEnrollmentsUseCase } from './decide-enrollments.usecase';
import { EnrollmentCommandsConsumer } from './enrollment-commands.consumer';
import { OutboxRelay } from '@cadence/runtime';

@Module({ providers: [DecideEnrollmentsUseCase, OutboxRelay, EnrollmentCommandsConsumer] })
export class EnrollmentAppModule {}

/** Decides every enroll command; the only writer of enrollments and decisions. */
export const enrollmentRole: ProcessRole = {
  name: 'enrollment',
  module: EnrollmentAppModule,
  workers: [EnrollmentCommandsConsumer],
};
