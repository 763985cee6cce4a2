import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { TimeoutMiddleware } from 'mappersmith/middleware/timeout';
import type { AppConfig } from '@cadence/config';
import { readSchema, topicSchemas, valueSubject, type Topics } from '@cadence/contracts';
import { wireFormatProblem } from './wire-format';

/** Where the registry is and, for Confluent Schema Registry or its hosted offering, the basic-auth user. */
export interface RegistryEndpoint {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

/** Thrown when bytes are not a Confluent-framed message of a schema the registry knows. */
export class UndecodableMessageError extends Error {}

/**
 * Every registry call ends within this time. Without a bound, a request written to a connection the registry
 * had dropped was seen to wait forever (a boot, or a partition's decoding, stuck with it).
 */
const DEFAULT_REGISTRY_TIMEOUT_MS = 10_000;

/** A registry outage is worth a retry; bad bytes or an unknown schema id are not. */
export function isTransientRegistryError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  // The client reports its own timeout as a 400 whose message names it.
  if (error instanceof Error && /Timeout \(\d+ms\)/.test(error.message)) return true;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status > 0) return status >= 500 || status === 429;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = [code, message].filter((part) => typeof part === 'string').join(' ');
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|network/i.test(text);
}

/**
 * Avro encoding in the Confluent wire format through the schema registry.
 * Every topic's value schema is registered (BACKWARD compatibility) under `<topic>-value`.
 */
export class SchemaCodec {
  private readonly registry: SchemaRegistry;
  private readonly idsByTopic = new Map<string, number>();

  private readonly registryUrl: string;
  private readonly authorization: Record<string, string>;

  constructor(
    endpoint: RegistryEndpoint,
    private readonly timeoutMs = DEFAULT_REGISTRY_TIMEOUT_MS,
  ) {
    const { url, username, password } = endpoint;
    this.registryUrl = url;
    const auth = username && password ? { username, password } : undefined;
    this.authorization = auth
      ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
      : {};
    this.registry = new SchemaRegistry({
      host: url,
      ...(auth ? { auth } : {}),
      middlewares: [TimeoutMiddleware(timeoutMs)],
    });
  }

  static fromConfig(config: AppConfig, timeoutMs?: number): SchemaCodec {
    return new SchemaCodec(
      {
        url: config.SCHEMA_REGISTRY_URL,
        username: config.SCHEMA_REGISTRY_USERNAME,
        password: config.SCHEMA_REGISTRY_PASSWORD,
      },
      timeoutMs,
    );
  }

  /** Readiness: the registry answers, and accepts our credentials. Throws a sentence naming what failed. */
  async ping(timeoutMs = this.timeoutMs): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.registryUrl}/subjects`, {
        headers: this.authorization,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      const reason = typeof code === 'string' ? code : error instanceof Error ? error.name : 'no answer';
      throw new Error(`schema registry unreachable at ${this.registryUrl} (${reason})`);
    }
    if (response.status === 401 || response.status === 403)
      throw new Error(
        `schema registry refused the credentials (HTTP ${response.status}; check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD)`,
      );
    if (!response.ok)
      throw new Error(`schema registry answered HTTP ${response.status} at ${this.registryUrl}`);
  }

  /** Idempotent: registering the same schema again returns its id. */
  async registerAll(topics: Topics): Promise<void> {
    for (const { topic, schema } of topicSchemas(topics)) {
      const { id } = await this.registerSubject(valueSubject(topic), readSchema(schema));
      this.idsByTopic.set(topic, id);
    }
  }

  async encode(topic: string, value: object): Promise<Buffer> {
    const id = this.idsByTopic.get(topic);
    if (id === undefined) throw new Error(`no schema registered for topic ${topic}`);
    return this.registry.encode(id, value);
  }

  async decode<T>(buffer: Buffer | null): Promise<T> {
    if (!buffer) throw new UndecodableMessageError('empty value');
    const problem = wireFormatProblem(buffer);
    if (problem) throw new UndecodableMessageError(problem);
    try {
      return (await this.registry.decode(buffer)) as T;
    } catch (error) {
      if (isTransientRegistryError(error)) throw error;
      const status = (error as { status?: unknown }).status;
      const detail = error instanceof Error ? error.message : String(error);
      throw new UndecodableMessageError(status === 404 ? `unknown schema id: ${detail}` : detail);
    }
  }

  /**
   * Registers with BACKWARD compatibility. Several processes booting at once race on the subject's first
   * registration (Apicurio answers 409 when two set its rule), and Apicurio answers /config/{subject} of a new
   * subject with the global rule; both settle by pinning BACKWARD and registering again. A timed-out call is
   * simply made again.
   */
  private async registerSubject(subject: string, schema: string): Promise<{ id: number }> {
    const options = { subject, compatibility: 'BACKWARD' as never };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.registry.register({ type: SchemaType.AVRO, schema }, options);
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        if (isTransientRegistryError(error) && attempt < 3) continue;
        const settles =
          status === 409 ||
          (error instanceof Error && error.name === 'ConfluentSchemaRegistryCompatibilityError');
        if (!settles || attempt >= 3) throw error;
        await this.pinBackwardCompatibility(subject);
      }
    }
  }

  private async pinBackwardCompatibility(subject: string): Promise<void> {
    const response = await fetch(`${this.registryUrl}/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...this.authorization },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    // 409: another process set the rule a moment ago.
    if (!response.ok && response.status !== 409) {
      throw new Error(`setting BACKWARD on ${subject} failed: HTTP ${response.status}`);
    }
  }
}
