import { loadConfig } from '@cadence/config';
import { createKafka, replayDeadLetters } from '@cadence/kafka';
import { createLogger } from '@cadence/observability';

/**
 * Operator command: `npm run dlq:replay -- <dlq topic>`, e.g. `cadence.enrollment-commands.dlq`, once the
 * cause of the dead letters is fixed. Sends each letter back to its original topic, once; prints a report.
 */
async function main(): Promise<void> {
  const dlqTopic = process.argv[2];
  if (!dlqTopic || !dlqTopic.endsWith('.dlq')) throw new Error('usage: npm run dlq:replay -- <topic>.dlq');
  const config = loadConfig();
  const kafka = createKafka(config, createLogger('dlq-replay', config.LOG_LEVEL), 'dlq-replay');
  const report = await replayDeadLetters(kafka, dlqTopic, `${config.CONSUMER_GROUP_PREFIX}dlq-replay`);
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
