import { Module } from '@nestjs/common';
import type { ProcessRole } from '@cadence/runtime';

@Module({})
export class InactivityWatcherAppModule {}

/**
 * Enrolls conversations idle beyond an inactivity sequence's limit. The process role, its health and its
 * lifecycle exist; the activity consumer and idle detection arrive with the automatic-enrollment issue.
 */
export const inactivityWatcherRole: ProcessRole = {
  name: 'inactivity-watcher',
  module: InactivityWatcherAppModule,
};
