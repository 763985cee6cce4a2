import { Module } from '@nestjs/common';
import { MaestroModule } from '@cadence/maestro';
import { ActiveSequences } from '@cadence/read-models';
import type { ProcessRole } from '@cadence/runtime';
import { ConversationActivityHandler } from './conversation-activity.handler';
import { DomainEventsHandler } from './domain-events.handler';
import { EventTracePrunerWorker } from './event-trace-pruner.worker';
import { RecentMessagesLoader } from './recent-messages.loader';
import { SequenceTriggerIndex } from './sequence-trigger-index';
import { TriggerIndexRefresher } from './trigger-index.refresher';

@Module({
  providers: [
    ActiveSequences,
    SequenceTriggerIndex,
    TriggerIndexRefresher,
    DomainEventsHandler,
    RecentMessagesLoader,
    ConversationActivityHandler,
    EventTracePrunerWorker,
  ],
  imports: [MaestroModule],
})
export class TriggerRouterAppModule {}

/** Routes domain events to enroll commands (through the AI gate when cued), and exit-rule events to exit commands. */
export const triggerRouterRole: ProcessRole = {
  name: 'trigger-router',
  module: TriggerRouterAppModule,
  workers: [EventTracePrunerWorker],
  streams: [
    { handler: DomainEventsHandler, group: 'trigger-router', topics: (t) => [t.domainEvents] },
    {
      handler: ConversationActivityHandler,
      group: 'trigger-router.exits',
      topics: (t) => [t.conversationActivity],
    },
  ],
};
