/** What one dependency or worker says about itself; `detail` names the cause when it is not ok. */
export interface ComponentStatus {
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  components: Record<string, ComponentStatus>;
}

/** A check answers now (a worker's state) or asks its dependency (a query, a request to a broker). */
export type ReadinessCheck = () => boolean | ComponentStatus | Promise<boolean | ComponentStatus>;

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Components report whether they are ready; /health/ready answers 200 only when all are. Checks run
 * concurrently, each bounded by the timeout (a dependency that does not answer in time is not ready), and a
 * check still running is joined, not started again.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly running = new Map<string, Promise<ComponentStatus>>();

  constructor(private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const names = [...this.checks.keys()];
    const checked = await Promise.all(names.map(async (name) => [name, await this.run(name)] as const));
    return { ready: checked.every(([, status]) => status.ok), components: Object.fromEntries(checked) };
  }

  private run(name: string): Promise<ComponentStatus> {
    const inFlight = this.running.get(name);
    if (inFlight) return inFlight;
    const check = this.checks.get(name);
    if (!check) return Promise.resolve({ ok: false, detail: 'unknown check' });
    const status = withTimeout(name, check, this.timeoutMs).finally(() => this.running.delete(name));
    this.running.set(name, status);
    return status;
  }
}

async function withTimeout(name: string, check: ReadinessCheck, timeoutMs: number): Promise<ComponentStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ComponentStatus>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `${name} did not answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    const answer = await Promise.race([Promise.resolve().then(check), timedOut]);
    return typeof answer === 'boolean' ? { ok: answer } : answer;
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
