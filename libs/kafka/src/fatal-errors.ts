/**
 * Where a component reports an error it cannot recover from (a consumer kafkajs will not restart). A
 * production process exits on it so that its supervisor restarts it; tests just see the process unready.
 */
export class FatalErrors {
  private readonly listeners: Array<(error: unknown, source: string) => void> = [];

  report(error: unknown, source: string): void {
    this.listeners.forEach((listener) => listener(error, source));
  }

  onFatal(listener: (error: unknown, source: string) => void): void {
    this.listeners.push(listener);
  }
}
