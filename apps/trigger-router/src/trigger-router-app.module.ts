import { Module } from '@nestjs/common';
import type { ProcessRole } from '@cadence/runtime';
import { ConversationActivityConsumer } from './conversation-activity.consumer';
import { DomainEventsConsumer } from './domain-events.consumer';
import { SequenceTriggerIndex } from './sequence-trigger-index';
import { TriggerIndexRefresher } from './trigger-index.refresher';

@Module({
  providers: [
    SequenceTriggerIndex,
    TriggerIndexRefresher,
    DomainEventsConsumer,
    ConversationActivityConsumer,
  ],
})
export class TriggerRouterAppModule {}

/** Routes domain events to enroll commands, and exit-rule events (replies, deal won, ...) to exit commands. */
export const triggerRouterRole: ProcessRole = {
  name: 'trigger-router',
  module: TriggerRouterAppModule,
  workers: [DomainEventsConsumer, ConversationActivityConsumer],
};
