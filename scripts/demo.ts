import { randomUUID } from 'node:crypto';
import { logLevel } from 'kafkajs';
import { loadConfig } from '@cadence/config';
import {
  topicsFor,
  type DomainEvent,
  type EnrollmentLifecycleEvent,
  type OutboundMessageCommand,
} from '@cadence/contracts';
import { ContractProducer, SchemaCodec, createKafka } from '@cadence/kafka';
import { createLogger } from '@cadence/observability';
import { AccountsRepository, ApiKeysRepository, createDataSource } from '@cadence/persistence';

/**
 * The end-to-end demo run by `npm run up`: against the running apps, it creates an account with a billing
 * cadence, publishes a "charge overdue" event, and prints the enrollment and the outbound command it causes.
 */
async function demo(): Promise<void> {
  const config = loadConfig();
  const topics = topicsFor(config.KAFKA_TOPIC_PREFIX);
  const db = await createDataSource(config.DATABASE_URL, 2).initialize();
  const kafka = createKafka(config, createLogger('demo', config.LOG_LEVEL), 'demo', {
    logLevel: logLevel.NOTHING,
  });
  const codec = SchemaCodec.fromConfig(config);
  await codec.registerAll(topics);
  const producer = new ContractProducer(kafka, codec);
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `demo-${randomUUID()}` });
  try {
    // An operator creates the account and its API key; everything else goes through the public HTTP API.
    const account = await new AccountsRepository(db).create({
      name: 'Demo Co',
      automationModuleEnabled: true,
    });
    const { key } = await new ApiKeysRepository(db).issue(account.id, 'demo');
    const api = (method: 'GET' | 'POST', path: string, body?: unknown) =>
      callApi(config.API_BASE_URL, key, method, path, body);
    const sequence = await api('POST', '/v1/sequences', {
      name: 'Overdue charge follow-up',
      definition: {
        targetType: 'charge',
        triggers: [{ type: 'event', eventType: 'charge.overdue' }],
        steps: [
          {
            delayMinutes: 0,
            channel: 'whatsapp',
            content: 'Hi! Your invoice is overdue; here is the payment link.',
          },
          { delayMinutes: 2880, channel: 'email', template: { name: 'overdue-reminder', variables: {} } },
        ],
        exitRules: ['charge_paid', 'replied'],
      },
    });
    const published = await api('POST', `/v1/sequences/${String(sequence.id)}/publish`);
    await api('POST', `/v1/sequences/${String(sequence.id)}/activate`);
    step(
      `POST /v1/sequences → "${String(sequence.name)}" (target charge, trigger charge.overdue), published as v${String(published.publishedVersion)} and activated`,
    );

    const outbound: OutboundMessageCommand[] = [];
    const lifecycle: EnrollmentLifecycleEvent[] = [];
    await consumer.connect();
    await consumer.subscribe({
      topics: [topics.outbound.whatsapp, topics.enrollmentLifecycle],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = await codec.decode<OutboundMessageCommand & EnrollmentLifecycleEvent>(message.value);
        if (value.accountId !== account.id) return;
        (topic === topics.enrollmentLifecycle ? lifecycle : outbound).push(value);
      },
    });

    // The trigger-router reloads its in-memory index when the sequence is committed; give it a moment.
    await sleep(1_000);
    const event: DomainEvent = {
      id: randomUUID(),
      source: 'billing',
      type: 'charge.overdue',
      time: Date.now(),
      subject: 'charge/ch_1001',
      accountId: account.id,
      contactId: 'contact-ana',
      entities: { conversationId: null, dealId: null, appointmentId: null, chargeId: 'ch_1001' },
      data: { amount: '249.90', currency: 'BRL' },
    };
    const sentAt = Date.now();
    await producer.send([{ topic: topics.domainEvents, key: event.id, value: event }]);
    step(
      `event in: ${event.type} for contact ${event.contactId}, charge ${event.entities.chargeId} → ${topics.domainEvents}`,
    );

    await waitUntil(() => outbound.length > 0 && lifecycle.some((e) => e.type === 'step_sent'), 60_000);
    const enrollment = lifecycle.find((e) => e.type === 'started')!;
    const detail = await api('GET', `/v1/enrollments/${String(enrollment.enrollmentId)}`);
    const decision = detail.decision as Record<string, unknown>;
    step(
      `enrollment ${String(detail.id)}: ${String(detail.state)}, pinned to v${String(detail.sequenceVersion)}, ` +
        `method ${String(detail.method)}, target ${String(detail.targetType)} ${String(detail.targetId)}, decision "${String(decision.reason)}" (GET /v1/enrollments/:id)`,
    );
    const command = outbound[0]!;
    step(`outbound command on ${topics.outbound.whatsapp} after ${Date.now() - sentAt} ms:`);
    console.log(JSON.stringify(command, null, 2));
    step(`lifecycle: ${lifecycle.map((e) => e.type).join(' → ')}`);
    console.log('\nDEMO OK: event in → enrollment → outbound command');
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await db.destroy();
  }
}

const step = (text: string): void => console.log(`• ${text}`);

async function callApi(
  base: string,
  key: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const payload = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(payload)}`);
  return payload;
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`demo: nothing arrived within ${timeoutMs} ms (see .run/logs/*.log)`);
    await sleep(100);
  }
}

demo().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
