import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface Endpoints {
  KAFKA_BROKERS: string;
  SCHEMA_REGISTRY_URL: string;
  DATABASE_URL: string;
}

export type InfrastructureSource = 'env' | 'testcontainers' | 'local-scripts';

const ROOT = join(__dirname, '..', '..');

const fromEnv = (): Endpoints | null => {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = process.env;
  return KAFKA_BROKERS && SCHEMA_REGISTRY_URL && DATABASE_URL
    ? { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL }
    : null;
};

const dockerAvailable = (): boolean =>
  spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

/** Runs the project's own start script (Kafka, Apicurio, the local Postgres) and reads the endpoints it prints. */
function fromLocalScripts(): Endpoints {
  const output = execFileSync('bash', [join(ROOT, 'scripts', 'infra', 'start.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const values: Record<string, string | undefined> = Object.fromEntries(
    output
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.+)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const endpoints = fromEnvLike(values);
  if (!endpoints) throw new Error(`scripts/infra/start.sh did not print the endpoints:\n${output}`);
  return endpoints;
}

function fromEnvLike(values: Record<string, string | undefined>): Endpoints | null {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = values;
  return KAFKA_BROKERS && SCHEMA_REGISTRY_URL && DATABASE_URL
    ? { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL }
    : null;
}

/** Endpoints given in env → use them; a Docker engine → testcontainers; otherwise → the local scripts. */
export async function resolveInfrastructure(): Promise<{
  source: InfrastructureSource;
  endpoints: Endpoints;
}> {
  const given = fromEnv();
  if (given) return { source: 'env', endpoints: given };
  if (dockerAvailable()) {
    const { startContainers } = await import('./containers');
    return { source: 'testcontainers', endpoints: await startContainers() };
  }
  return { source: 'local-scripts', endpoints: fromLocalScripts() };
}
