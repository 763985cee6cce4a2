import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cadence/config';
import type { ProcessRole } from '@cadence/runtime';
import { ConversationActivityHandler } from './conversation-activity.handler';
import { DomainEventsHandler } from './domain-events.handler';
import { AiGate } from './maestro/ai-gate';
import { HttpMaestro } from './maestro/http-maestro';
import { MAESTRO, type Maestro } from './maestro/maestro.port';
import { SequenceTriggerIndex } from './sequence-trigger-index';
import { TriggerIndexRefresher } from './trigger-index.refresher';

@Module({
  providers: [
    SequenceTriggerIndex,
    TriggerIndexRefresher,
    DomainEventsHandler,
    ConversationActivityHandler,
    AiGate,
    {
      provide: MAESTRO,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Maestro | null =>
        config.MAESTRO_BASE_URL
          ? new HttpMaestro(config.MAESTRO_BASE_URL, config.MAESTRO_MODEL, config.MAESTRO_API_KEY)
          : null,
    },
  ],
})
export class TriggerRouterAppModule {}

/** Routes domain events to enroll commands (through the AI gate when cued), and exit-rule events to exit commands. */
export const triggerRouterRole: ProcessRole = {
  name: 'trigger-router',
  module: TriggerRouterAppModule,
  streams: [
    { handler: DomainEventsHandler, group: 'trigger-router', topics: (t) => [t.domainEvents] },
    {
      handler: ConversationActivityHandler,
      group: 'trigger-router.exits',
      topics: (t) => [t.conversationActivity],
    },
  ],
};
