import { validateConversationActivity } from './conversation-activity.validation';
import { ACTIVITY_TEXT_MAX } from './text-limits';

const message = {
  id: 'act-1',
  accountId: '00000000-0000-4000-8000-00000000000a',
  contactId: 'c-1',
  conversationId: 'cv-1',
  kind: 'message',
  direction: 'inbound',
  status: null,
  time: 1_700_000_000_000,
};

describe('conversation activity validation', () => {
  it('reads an activity without text (an older producer) as text null', () => {
    expect(validateConversationActivity(message)).toEqual({ ok: true, value: { ...message, text: null } });
  });

  it('keeps a message text with newlines and tabs up to the bound', () => {
    const opening = 'Hi,\n\tcan you send the price?';
    const text = opening + 'x'.repeat(ACTIVITY_TEXT_MAX - opening.length);
    expect(validateConversationActivity({ ...message, text })).toMatchObject({ ok: true, value: { text } });
  });

  it('refuses a text over the bound or with control characters, naming the field', () => {
    expect(
      validateConversationActivity({ ...message, text: 'x'.repeat(ACTIVITY_TEXT_MAX + 1) }),
    ).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^text: /) as unknown,
    });
    expect(validateConversationActivity({ ...message, text: 'bell\u0007' })).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^text: control characters/) as unknown,
    });
  });
});
