import {
  cancelCommand,
  enrollCommand,
  exitCommand,
  pauseCommand,
  resumeCommand,
  toCommandRecord,
  type EnrollmentCommand,
} from './commands';
import { validateEnrollmentCommand } from './enrollment-command.validation';
import { MAESTRO_QUESTION_MAX } from './text-limits';

const ACCOUNT = '00000000-0000-4000-8000-00000000000a';
const SEQUENCE = '00000000-0000-4000-8000-00000000000b';
const ENROLLMENT = '00000000-0000-4000-8000-00000000000c';
const base = { accountId: ACCOUNT, contactId: 'c-1', requestedAt: 1_700_000_000_000 };

describe('enrollment commands on the wire', () => {
  const commands: EnrollmentCommand[] = [
    enrollCommand({
      ...base,
      commandId: 'r-enroll',
      sequenceId: SEQUENCE,
      method: 'flow',
      target: { type: 'deal', id: 'd-1' },
      idempotencyKey: 'k-1',
      provenance: { flowId: 'f-1', nodeId: 'n-1' },
    }),
    exitCommand({
      ...base,
      commandId: 'r-exit',
      rule: 'charge_paid',
      target: { type: 'charge', id: 'ch-1' },
    }),
    pauseCommand({ ...base, commandId: 'r-pause', enrollmentId: ENROLLMENT }),
    resumeCommand({ ...base, commandId: 'r-resume', enrollmentId: ENROLLMENT }),
    cancelCommand({
      ...base,
      commandId: 'r-cancel',
      enrollmentId: ENROLLMENT,
      provenance: { userId: 'u-1' },
    }),
  ];

  it.each(commands.map((command) => [command.kind, command] as const))(
    'a %s command decodes to the command it was encoded from',
    (_kind, command) => {
      expect(validateEnrollmentCommand(toCommandRecord(command))).toEqual({ ok: true, value: command });
    },
  );

  it('carries only the fields of its kind; the others travel as null', () => {
    expect(toCommandRecord(commands[2]!)).toMatchObject({
      kind: 'pause',
      enrollmentId: ENROLLMENT,
      sequenceId: null,
      method: null,
      target: null,
      exitReason: null,
      idempotencyKey: null,
    });
    expect(toCommandRecord(commands[1]!)).toMatchObject({
      kind: 'exit',
      exitReason: 'charge_paid',
      method: null,
    });
  });

  it.each([
    [
      'an enroll without sequence and method',
      { kind: 'enroll', sequenceId: null, method: null },
      /sequenceId: required for enroll; method: required for enroll/,
    ],
    ['an exit without a rule', { kind: 'exit', exitReason: null }, /exitReason: an exit rule is required/],
    [
      'an exit with a rule outside the vocabulary',
      { kind: 'exit', exitReason: 'moon_phase' },
      /exitReason: an exit rule is required \(one of replied, /,
    ],
    [
      'a pause without an enrollment',
      { kind: 'pause', enrollmentId: null },
      /enrollmentId: required for pause/,
    ],
    [
      'a cancel without an enrollment',
      { kind: 'cancel', enrollmentId: null },
      /enrollmentId: required for cancel/,
    ],
    ['an unknown kind', { kind: 'archive' }, /^kind: /],
  ])('refuses %s, naming the fields', (_case, fields, detail) => {
    const record = { ...toCommandRecord(commands[0]!), ...fields };
    const result = validateEnrollmentCommand(record);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.detail).toMatch(detail);
  });

  it('carries the Maestro’s question and answer in the provenance, bounded', () => {
    const asked = enrollCommand({
      ...base,
      commandId: 'r-ai',
      sequenceId: SEQUENCE,
      method: 'ai',
      provenance: {
        maestroVerdict: 'yes',
        maestroReason: 'asked for a quote',
        maestroQuestion: JSON.stringify({ eventType: 'conversation.inactive', recentMessages: [] }),
      },
    });
    expect(validateEnrollmentCommand(toCommandRecord(asked))).toEqual({ ok: true, value: asked });
    const record = toCommandRecord(asked);
    const tooLong = {
      ...record,
      provenance: { ...record.provenance, maestroQuestion: 'x'.repeat(MAESTRO_QUESTION_MAX + 1) },
    };
    expect(validateEnrollmentCommand(tooLong)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^provenance\.maestroQuestion: /) as unknown,
    });
  });
});
