import { enrollCommand } from '@cadence/contracts';
import { commandTarget, liveKeyOf, liveKeyString } from './live-key';
import { sequenceDefinitionSchema } from './sequence-definition';

const command = (target: { type: 'contact' | 'charge'; id: string } | null) =>
  enrollCommand({
    commandId: 'r1',
    accountId: 'a',
    contactId: 'c-1',
    requestedAt: 0,
    sequenceId: 's',
    method: 'api',
    target,
  });

const definition = (targetType: 'contact' | 'charge') =>
  sequenceDefinitionSchema.parse({
    targetType,
    steps: [{ delayMinutes: 0, channel: 'email', content: 'hi' }],
  });

describe('the live key', () => {
  it('takes the contact itself as the target when the command names none', () => {
    expect(commandTarget(command(null))).toEqual({ type: 'contact', id: 'c-1' });
    expect(commandTarget(command({ type: 'charge', id: 'ch-1' }))).toEqual({ type: 'charge', id: 'ch-1' });
  });

  it('is counted over account, sequence, contact and target', () => {
    const key = liveKeyOf(command({ type: 'charge', id: 'ch-1' }), definition('charge'));
    expect(key).toEqual({
      accountId: 'a',
      sequenceId: 's',
      contactId: 'c-1',
      targetType: 'charge',
      targetId: 'ch-1',
    });
    expect(key && liveKeyString(key)).toBe('a|s|c-1|charge|ch-1');
  });

  it('does not exist for a target of another type than the sequence enrolls', () => {
    expect(liveKeyOf(command(null), definition('charge'))).toBeNull();
    expect(liveKeyOf(command(null), null)).toEqual(expect.objectContaining({ targetType: 'contact' }));
  });
});
