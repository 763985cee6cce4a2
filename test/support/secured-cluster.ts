import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'infra', 'kafka-cluster.sh');

/** The secured 3-broker cluster of scripts/infra/kafka-cluster.sh (SASL_SSL, SCRAM-SHA-512, ACLs). */
export class SecuredCluster {
  private constructor(
    private readonly lines: Record<string, string>,
    /** False when the cluster was already running: someone else's, left running by `stop`. */
    private readonly startedHere: boolean,
  ) {}

  /** Starts it (or finds it running) and reads the endpoint lines it prints. */
  static start(): SecuredCluster {
    // `status` exits 3 when no node runs: then this run starts the cluster, and stops it when done.
    const startedHere = spawnSync('bash', [SCRIPT, 'status'], { stdio: 'ignore' }).status === 3;
    const output = execFileSync('bash', [SCRIPT, 'start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = Object.fromEntries(
      output
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.+)$/.exec(line.trim()))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [match[1]!, match[2]!]),
    );
    if (!lines.KAFKA_SASL_PASSWORD_FILE)
      throw new Error(`kafka-cluster.sh start printed no endpoints:\n${output}`);
    return new SecuredCluster(lines, startedHere);
  }

  /** Client settings for a user: `cadence` (the engine's principal, with ACLs), `outsider` (none), `admin`. */
  settingsFor(user: 'cadence' | 'outsider' | 'admin' = 'cadence'): Record<string, string> {
    const passwordFile = {
      cadence: this.lines.KAFKA_SASL_PASSWORD_FILE!,
      outsider: this.lines.KAFKA_CLUSTER_OUTSIDER_PASSWORD_FILE!,
      admin: this.lines.KAFKA_CLUSTER_ADMIN_PASSWORD_FILE!,
    }[user];
    return {
      KAFKA_BROKERS: this.lines.KAFKA_BROKERS!,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: this.lines.KAFKA_SSL_CA_FILE!,
      KAFKA_SASL_MECHANISM: this.lines.KAFKA_SASL_MECHANISM!,
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    };
  }

  /** Stops the cluster if this run started it (its 3 JVMs hold about a gigabyte). */
  stop(): void {
    if (this.startedHere) execFileSync('bash', [SCRIPT, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  /** SIGKILL broker `node` (1..3). */
  kill(node: number): void {
    execFileSync('bash', [SCRIPT, 'kill', String(node)], { stdio: 'ignore' });
  }

  /** Starts broker `node` again and waits until it serves. */
  startNode(node: number): void {
    execFileSync('bash', [SCRIPT, 'start-node', String(node)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  describeTopics(prefix: string): string {
    return execFileSync('bash', [SCRIPT, 'describe-topics', prefix], { encoding: 'utf8' });
  }
}
