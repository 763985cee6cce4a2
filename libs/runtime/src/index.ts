export {
  startProcess,
  type ProcessRole,
  type RoleWorker,
  type StartOptions,
  type StreamSubscription,
} from './start-process';
export { ClockModule, CLOCK } from './clock.module';
export { LifecycleMetrics } from './lifecycle-metrics';
export { Periodic, dropInChunks } from './periodic';
