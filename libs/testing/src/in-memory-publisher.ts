/**
 * A publishing port in memory (LifecyclePublisher, OutboundCommandPublisher): keeps what was published;
 * `failNext` makes the next publish throw, as a broker that did not acknowledge.
 */
export class InMemoryPublisher<T> {
  readonly published: T[] = [];
  private failure: Error | undefined;

  failNext(error = new Error('broker unavailable')): void {
    this.failure = error;
  }

  async publish(items: readonly T[]): Promise<void> {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    this.published.push(...items);
  }
}
