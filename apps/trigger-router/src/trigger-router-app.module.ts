import { Module } from '@nestjs/common';
import type { ProcessRole } from '@cadence/runtime';
import { DomainEventsConsumer } from './domain-events.consumer';
import { SequenceTriggerIndex } from './sequence-trigger-index';
import { TriggerIndexRefresher } from './trigger-index.refresher';

@Module({ providers: [SequenceTriggerIndex, TriggerIndexRefresher, DomainEventsConsumer] })
export class TriggerRouterAppModule {}

/** Routes domain events to enroll commands. */
export const triggerRouterRole: ProcessRole = {
  name: 'trigger-router',
  module: TriggerRouterAppModule,
  workers: [DomainEventsConsumer],
};
