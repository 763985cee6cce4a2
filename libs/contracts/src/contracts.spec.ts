import { Type } from 'avsc';
import {
  emptyProvenance,
  type ConversationActivity,
  type DomainEvent,
  type EnrollmentCommandRecord,
  type EnrollmentLifecycleEvent,
  type OutboundMessageCommand,
} from './messages';
import { readSchema, topicSchemas, type SchemaName } from './schema-files';
import { topicsFor } from './topics';
import {
  CHANNELS,
  COMMAND_KINDS,
  CONVERSATION_STATUSES,
  ENROLLMENT_METHODS,
  LIFECYCLE_TYPES,
  TARGET_TYPES,
} from './vocabulary';

const typeOf = (name: SchemaName) => Type.forSchema(JSON.parse(readSchema(name)) as never);

/** Fails with the path of the first field that does not fit the Avro schema. */
function expectValid(name: SchemaName, value: unknown): void {
  const problems: string[] = [];
  typeOf(name).isValid(value, { errorHook: (path) => problems.push(path.join('.')) });
  expect(problems).toEqual([]);
}

function enumSymbols(name: SchemaName, enumName: string): string[] {
  const found: string[][] = [];
  JSON.stringify(JSON.parse(readSchema(name)), (_key, value: unknown) => {
    const node = value as { type?: string; name?: string; symbols?: string[] };
    if (node && node.type === 'enum' && node.name === enumName && node.symbols) found.push(node.symbols);
    return value;
  });
  return found[0] ?? [];
}

describe('contracts mirror the Avro files in schemas/', () => {
  const now = Date.now();

  it('DomainEvent', () => {
    const event: DomainEvent = {
      id: 'e1',
      source: 'billing',
      type: 'charge.overdue',
      time: now,
      subject: null,
      accountId: 'a',
      contactId: 'c',
      entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: 'ch' },
      data: { amount: '1' },
    };
    expectValid('domain-event', event);
  });

  it('EnrollmentCommand', () => {
    const command: EnrollmentCommandRecord = {
      commandId: 'r1',
      idempotencyKey: 'k',
      kind: 'enroll',
      accountId: 'a',
      contactId: 'c',
      sequenceId: 's',
      target: { type: 'deal', id: 'd' },
      method: 'flow',
      provenance: { ...emptyProvenance(), flowId: 'f', nodeId: 'n' },
      enrollmentId: null,
      exitReason: null,
      requestedAt: now,
    };
    expectValid('enrollment-command', command);
  });

  it('OutboundMessageCommand', () => {
    const command: OutboundMessageCommand = {
      commandId: 'x:0',
      accountId: 'a',
      contactId: 'c',
      channel: 'email',
      enrollmentId: 'x',
      sequenceId: 's',
      sequenceVersion: 1,
      stepIndex: 0,
      targetType: 'contact',
      targetId: 'c',
      content: null,
      templateName: 't',
      variables: { a: 'b' },
      dueAt: now,
      emittedAt: now,
    };
    expectValid('outbound-message-command', command);
  });

  it('EnrollmentLifecycleEvent and ConversationActivity', () => {
    const event: EnrollmentLifecycleEvent = {
      id: 'l',
      type: 'ignored',
      accountId: 'a',
      contactId: 'c',
      sequenceId: 's',
      sequenceVersion: null,
      enrollmentId: null,
      requestId: 'r',
      reason: 'duplicate',
      stepIndex: null,
      time: now,
    };
    expectValid('enrollment-lifecycle-event', event);
    const activity: ConversationActivity = {
      id: 'm',
      accountId: 'a',
      contactId: 'c',
      conversationId: 'cv',
      kind: 'message',
      direction: 'inbound',
      status: null,
      time: now,
      text: 'Can you send me the price?',
    };
    expectValid('conversation-activity', activity);
  });

  it('enum symbols match the TypeScript vocabularies', () => {
    expect(enumSymbols('enrollment-command', 'TargetType')).toEqual([...TARGET_TYPES]);
    expect(enumSymbols('enrollment-command', 'EnrollmentMethod')).toEqual([...ENROLLMENT_METHODS]);
    expect(enumSymbols('enrollment-command', 'CommandKind')).toEqual([...COMMAND_KINDS]);
    expect(enumSymbols('outbound-message-command', 'Channel')).toEqual([...CHANNELS]);
    expect(enumSymbols('enrollment-lifecycle-event', 'LifecycleType')).toEqual([...LIFECYCLE_TYPES]);
    expect(enumSymbols('conversation-activity', 'ConversationStatus')).toEqual([...CONVERSATION_STATUSES]);
  });

  it('every topic has a schema file that parses', () => {
    for (const { schema } of topicSchemas(topicsFor('x.'))) expect(() => typeOf(schema)).not.toThrow();
  });
});
