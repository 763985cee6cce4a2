import { fieldErrors } from '@cadence/contracts';
import { sequenceDefinitionSchema } from '@cadence/domain';
import { apiEnrollmentBody, bulkEnrollmentBody, manualEnrollmentBody } from './enrollment-request.schemas';

const SEQUENCE = '00000000-0000-4000-8000-00000000000b';
const errorsOf = (result: { success: boolean; error?: { issues: Parameters<typeof fieldErrors>[0] } }) =>
  result.error ? fieldErrors(result.error.issues) : [];

describe('request bodies at the door', () => {
  it('name every unknown or misspelt field, at any depth', () => {
    expect(
      errorsOf(apiEnrollmentBody.safeParse({ sequenceId: SEQUENCE, contactId: 'c', idempotencyKee: 'k' })),
    ).toEqual([{ path: 'idempotencyKee', message: 'unknown field' }]);
    expect(
      errorsOf(
        manualEnrollmentBody.safeParse({ sequenceId: SEQUENCE, contactId: 'c', userId: 'u', user: 'u' }),
      ),
    ).toEqual([{ path: 'user', message: 'unknown field' }]);
    expect(
      errorsOf(
        bulkEnrollmentBody.safeParse({
          sequenceId: SEQUENCE,
          userId: 'u',
          contacts: [{ contactId: 'a', contact: 'a' }],
        }),
      ),
    ).toEqual([{ path: 'contacts.0.contact', message: 'unknown field' }]);
  });

  it('refuse control characters in ids and keep the documented bounds', () => {
    for (const contactId of ['a\u0000b', 'line\nbreak', 'bell\u0007', 'c1\u0085']) {
      expect(errorsOf(apiEnrollmentBody.safeParse({ sequenceId: SEQUENCE, contactId }))).toEqual([
        { path: 'contactId', message: 'control characters are not allowed' },
      ]);
    }
    expect(apiEnrollmentBody.safeParse({ sequenceId: SEQUENCE, contactId: '  ünï-😀  ' })).toMatchObject({
      success: true,
      data: { contactId: 'ünï-😀' },
    });
    expect(
      errorsOf(apiEnrollmentBody.safeParse({ sequenceId: SEQUENCE, contactId: 'x'.repeat(201) })),
    ).toEqual([{ path: 'contactId', message: 'Too big: expected string to have <=200 characters' }]);
  });

  it('refuse a sequence definition with a misspelt key instead of saving it without', () => {
    const definition = {
      targetType: 'contact',
      steps: [{ delayMinutes: 0, channel: 'sms', content: 'hi\nthere' }],
    };
    expect(sequenceDefinitionSchema.safeParse(definition).success).toBe(true);
    expect(errorsOf(sequenceDefinitionSchema.safeParse({ ...definition, exitRule: ['replied'] }))).toEqual([
      { path: 'exitRule', message: 'unknown field' },
    ]);
    expect(
      errorsOf(
        sequenceDefinitionSchema.safeParse({
          ...definition,
          steps: [{ delayMinute: 5, channel: 'sms', content: 'x' }],
        }),
      ).map((e) => e.path),
    ).toContain('steps.0.delayMinute');
  });
});
