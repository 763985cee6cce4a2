import type { Channel } from './vocabulary';

/** Topic names, derived from one prefix so that tests and environments can run side by side. */
export interface Topics {
  domainEvents: string;
  conversationActivity: string;
  automationCommands: string;
  enrollmentCommands: string;
  enrollmentLifecycle: string;
  outbound: Record<Channel, string>;
}

export function topicsFor(prefix: string): Topics {
  const outbound = (channel: Channel) => `${prefix}outbound.${channel}`;
  return {
    domainEvents: `${prefix}domain-events`,
    conversationActivity: `${prefix}conversation-activity`,
    automationCommands: `${prefix}automation-commands`,
    enrollmentCommands: `${prefix}enrollment-commands`,
    enrollmentLifecycle: `${prefix}enrollment-lifecycle`,
    outbound: { whatsapp: outbound('whatsapp'), email: outbound('email'), sms: outbound('sms') },
  };
}

export const dlqTopic = (topic: string): string => `${topic}.dlq`;

export const allTopics = (topics: Topics): string[] => [
  topics.domainEvents,
  topics.conversationActivity,
  topics.automationCommands,
  topics.enrollmentCommands,
  topics.enrollmentLifecycle,
  ...Object.values(topics.outbound),
];
