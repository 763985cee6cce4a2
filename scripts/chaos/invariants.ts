import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { OutboundMessageCommand, Topics } from '@cadence/contracts';
import type { SchemaCodec } from '@cadence/kafka';
import type { Workload } from './workload';

export interface InvariantReport {
  requests: number;
  decided: number;
  /** Requests without a decision. */
  lostRequests: number;
  /** Requests with more than one decision (impossible by the primary key; counted to prove it). */
  doubleDecisions: number;
  /** (sequence, contact, target) keys with two active-or-paused enrollments. */
  duplicateLive: number;
  enrolled: number;
  distinctKeys: number;
  /** Outbound command ids seen with two different contents (emittedAt aside). */
  conflictingCommands: number;
  outboundCommands: number;
  /** Steps sent (history or outbound topic) after their enrollment's exit. */
  stepsAfterExit: number;
  exited: number;
}

/** Whether the invariants hold: nothing lost, nothing doubled, no conflicting command, no step after an exit. */
export const invariantsHold = (report: InvariantReport): boolean =>
  report.lostRequests === 0 &&
  report.doubleDecisions === 0 &&
  report.duplicateLive === 0 &&
  report.enrolled === report.distinctKeys &&
  report.conflictingCommands === 0 &&
  report.stepsAfterExit === 0;

export async function countDecided(db: DataSource, accountId: string): Promise<number> {
  const [row] = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM enrollment_decisions WHERE account_id = $1`,
    [accountId],
  );
  return row?.n ?? 0;
}

/** Checks the final state in Postgres and on the outbound topics against what the workload sent. */
export async function checkInvariants(
  db: DataSource,
  kafka: Kafka,
  codec: SchemaCodec,
  topics: Topics,
  accountId: string,
  workload: Workload,
): Promise<InvariantReport> {
  const decisions = await db.query<Array<{ request_id: string; n: number }>>(
    `SELECT request_id, count(*)::int AS n FROM enrollment_decisions WHERE account_id = $1 GROUP BY request_id`,
    [accountId],
  );
  const decidedIds = new Map(decisions.map((row) => [row.request_id, row.n]));
  const lostRequests = workload.requestIds.filter((id) => !decidedIds.has(id)).length;
  const [live] = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM enrollments WHERE account_id = $1 AND state IN ('active','paused')
        GROUP BY sequence_id, contact_id, target_type, target_id HAVING count(*) > 1) doubled`,
    [accountId],
  );
  const [enrolled] = await db.query<Array<{ n: number; exited: number }>>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'exited')::int AS exited
       FROM enrollments WHERE account_id = $1`,
    [accountId],
  );
  const [historyAfterExit] = await db.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n
       FROM enrollment_history sent
       JOIN enrollment_history exit ON exit.enrollment_id = sent.enrollment_id AND exit.to_state = 'exited'
      WHERE sent.account_id = $1 AND sent.cause IN ('step_sent','last_step_sent') AND sent.id > exit.id`,
    [accountId],
  );
  const sentBeforeExit = new Set(
    (
      await db.query<Array<{ enrollment_id: string; step_index: number }>>(
        `SELECT h.enrollment_id, h.step_index FROM enrollment_history h
           JOIN enrollments e ON e.id = h.enrollment_id
          WHERE e.account_id = $1 AND e.state = 'exited' AND h.cause IN ('step_sent','last_step_sent')`,
        [accountId],
      )
    ).map((row) => `${row.enrollment_id}:${row.step_index}`),
  );
  const exitedIds = new Set(
    (
      await db.query<Array<{ id: string }>>(
        `SELECT id FROM enrollments WHERE account_id = $1 AND state = 'exited'`,
        [accountId],
      )
    ).map((row) => row.id),
  );
  const commands = await readTopics<OutboundMessageCommand>(kafka, codec, Object.values(topics.outbound));
  const contents = new Map<string, string>();
  const conflicting = new Set<string>();
  let commandsAfterExit = 0;
  for (const command of commands) {
    if (command.accountId !== accountId) continue;
    const { emittedAt: _emittedAt, ...content } = command;
    const text = JSON.stringify(content);
    const seen = contents.get(command.commandId);
    if (seen !== undefined && seen !== text) conflicting.add(command.commandId);
    contents.set(command.commandId, text);
    if (exitedIds.has(command.enrollmentId) && !sentBeforeExit.has(command.commandId)) commandsAfterExit++;
  }
  return {
    requests: workload.requestIds.length,
    decided: workload.requestIds.length - lostRequests,
    lostRequests,
    doubleDecisions: decisions.filter((row) => row.n > 1).length,
    duplicateLive: live?.n ?? 0,
    enrolled: enrolled?.n ?? 0,
    distinctKeys: workload.distinctKeys,
    conflictingCommands: conflicting.size,
    outboundCommands: contents.size,
    stepsAfterExit: (historyAfterExit?.n ?? 0) + commandsAfterExit,
    exited: enrolled?.exited ?? 0,
  };
}

/** Every message of the topics from the beginning up to their current ends, decoded. */
export async function readTopics<T>(kafka: Kafka, codec: SchemaCodec, topicNames: string[]): Promise<T[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  for (const topic of topicNames) {
    for (const partition of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}:${partition.partition}`, Number(partition.high));
  }
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([key]) => key));
  const values: T[] = [];
  if (remaining.size === 0) return values;
  const consumer = kafka.consumer({ groupId: `${topicNames[0]}.reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: topicNames, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) values.push(await codec.decode<T>(message.value));
          const key = `${batch.topic}:${batch.partition}`;
          const last = batch.messages[batch.messages.length - 1];
          if (last && Number(last.offset) + 1 >= (ends.get(key) ?? 0)) remaining.delete(key);
          if (remaining.size === 0) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return values;
}
