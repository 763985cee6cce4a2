import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Topics } from './topics';

/** Names of the Avro files in schemas/. */
export type SchemaName =
  | 'domain-event'
  | 'conversation-activity'
  | 'enrollment-command'
  | 'enrollment-lifecycle-event'
  | 'outbound-message-command';

/** schemas/ sits at the repository root; walk up from here (source or dist/) to find it. */
function findSchemasDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'enrollment-command.avsc'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`schemas/ not found above ${start}`);
  }
}

let schemasDir: string | undefined;

export function readSchema(name: SchemaName): string {
  schemasDir ??= findSchemasDir(__dirname);
  return readFileSync(join(schemasDir, `${name}.avsc`), 'utf8');
}

/** Which schema each topic's values use; the registry subject is `<topic>-value` (TopicNameStrategy). */
export function topicSchemas(topics: Topics): Array<{ topic: string; schema: SchemaName }> {
  return [
    { topic: topics.domainEvents, schema: 'domain-event' },
    { topic: topics.conversationActivity, schema: 'conversation-activity' },
    { topic: topics.automationCommands, schema: 'enrollment-command' },
    { topic: topics.enrollmentCommands, schema: 'enrollment-command' },
    { topic: topics.enrollmentLifecycle, schema: 'enrollment-lifecycle-event' },
    ...Object.values(topics.outbound).map((topic) => ({
      topic,
      schema: 'outbound-message-command' as const,
    })),
  ];
}

export const valueSubject = (topic: string): string => `${topic}-value`;
