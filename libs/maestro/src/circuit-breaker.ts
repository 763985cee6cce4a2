export class CircuitOpenError extends Error {}

/**
 * After `failureThreshold` consecutive failures the circuit opens for `openMs`: calls fail at once instead of
 * waiting on a dependency that is down. The first call after that is a trial; success closes the circuit.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly failureThreshold: number,
    private readonly openMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.now() < this.openUntil;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.isOpen) throw new CircuitOpenError('circuit open');
    try {
      const result = await call();
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures += 1;
      if (this.failures >= this.failureThreshold) {
        this.openUntil = this.now() + this.openMs;
        this.failures = 0;
      }
      throw error;
    }
  }
}
