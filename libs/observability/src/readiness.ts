/** Components report whether they are ready; /health/ready answers 200 only when all are. */
export class Readiness {
  private readonly checks = new Map<string, () => boolean>();

  register(name: string, check: () => boolean): void {
    this.checks.set(name, check);
  }

  report(): { ready: boolean; components: Record<string, boolean> } {
    const components = Object.fromEntries([...this.checks].map(([name, check]) => [name, check()]));
    return { ready: Object.values(components).every(Boolean), components };
  }
}
