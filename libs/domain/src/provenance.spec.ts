import { emptyProvenance } from '@cadence/contracts';
import { compactProvenance } from './provenance';

describe('compactProvenance', () => {
  it('keeps the Maestro’s verdict, reason and question whole, and drops the fields nobody filled', () => {
    const question = JSON.stringify({
      eventType: 'conversation.inactive',
      recentMessages: [{ text: 'hi\nthere' }],
    });
    expect(
      compactProvenance({
        ...emptyProvenance(),
        conversationId: 'cv-1',
        maestroVerdict: 'no',
        maestroReason: 'already bought',
        maestroQuestion: question,
      }),
    ).toEqual({
      conversationId: 'cv-1',
      maestroVerdict: 'no',
      maestroReason: 'already bought',
      maestroQuestion: question,
    });
  });
});
