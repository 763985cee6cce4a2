import type { DomainEvent } from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { routeDomainEvent } from './route-domain-event';
import { SequenceTriggerIndex, type IndexSource } from './sequence-trigger-index';

const ACCOUNT = '00000000-0000-0000-0000-00000000000a';
const source = (
  id: string,
  targetType: string,
  triggers: unknown[],
  overrides: Partial<IndexSource> = {},
): IndexSource => ({
  id,
  accountId: ACCOUNT,
  active: true,
  publishedVersion: 1,
  definition: sequenceDefinitionSchema.parse({
    targetType,
    triggers,
    steps: [{ delayMinutes: 0, channel: 'sms', content: 'x' }],
  }),
  ...overrides,
});

const event: DomainEvent = {
  id: 'evt-1',
  source: 'billing',
  type: 'charge.overdue',
  time: 1,
  subject: null,
  accountId: ACCOUNT,
  contactId: 'c-1',
  entities: { conversationId: 'conv-1', dealId: null, appointmentId: null, chargeId: 'ch-1' },
  data: {},
};

describe('trigger index and event routing', () => {
  const index = new SequenceTriggerIndex();
  index.replaceAll([
    source('charge-seq', 'charge', [{ type: 'event', eventType: 'charge.overdue' }]),
    source('deal-seq', 'deal', [{ type: 'event', eventType: 'charge.overdue' }]),
    source('ai-seq', 'contact', [{ type: 'ai', cue: { kind: 'event', eventType: 'charge.overdue' } }]),
    source('inactive', 'charge', [{ type: 'event', eventType: 'charge.overdue' }], { active: false }),
    source('draft-only', 'charge', [{ type: 'event', eventType: 'charge.overdue' }], {
      publishedVersion: null,
    }),
    source('other-event', 'charge', [{ type: 'event', eventType: 'deal.stalled' }]),
  ]);

  it('finds only active, published listeners of the event type, in its account', () => {
    expect(index.listeners(ACCOUNT, 'charge.overdue').map((l) => [l.sequenceId, l.method])).toEqual([
      ['charge-seq', 'event'],
      ['deal-seq', 'event'],
      ['ai-seq', 'ai'],
    ]);
    expect(index.listeners(ACCOUNT, 'nobody.listens')).toEqual([]);
    expect(index.listeners('00000000-0000-0000-0000-0000000000ff', 'charge.overdue')).toEqual([]);
  });

  it('emits one command per listener, with the target the event carries (or none, to be refused as such)', () => {
    const commands = routeDomainEvent(event, index.listeners(ACCOUNT, 'charge.overdue'));
    expect(commands.map((c) => [c.commandId, c.method, c.target])).toEqual([
      ['event:evt-1:charge-seq', 'event', { type: 'charge', id: 'ch-1' }],
      ['event:evt-1:deal-seq', 'event', null],
      ['event:evt-1:ai-seq', 'ai', { type: 'contact', id: 'c-1' }],
    ]);
    expect(commands[0]!.provenance).toMatchObject({
      eventId: 'evt-1',
      eventType: 'charge.overdue',
      conversationId: 'conv-1',
    });
  });
});
