import { Module } from '@nestjs/common';
import { MaestroModule } from '@cadence/maestro';
import { ActiveSequences } from '@cadence/read-models';
import type { ProcessRole } from '@cadence/runtime';
import { ActivityHandler } from './activity.handler';
import { IdleConversationEnroller } from './idle-conversation-enroller';
import { InactivityDetectorWorker } from './inactivity-detector.worker';
import { LateActivityQueue } from './late-activity.queue';

@Module({
  imports: [MaestroModule],
  providers: [
    ActiveSequences,
    ActivityHandler,
    IdleConversationEnroller,
    InactivityDetectorWorker,
    LateActivityQueue,
  ],
})
export class InactivityWatcherAppModule {}

/** Tracks conversation activity and enrolls conversations idle beyond an inactivity sequence's limit. */
export const inactivityWatcherRole: ProcessRole = {
  name: 'inactivity-watcher',
  module: InactivityWatcherAppModule,
  streams: [
    { handler: ActivityHandler, group: 'inactivity-watcher', topics: (t) => [t.conversationActivity] },
  ],
  workers: [InactivityDetectorWorker],
};
