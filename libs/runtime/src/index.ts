export { startProcess, type ProcessRole, type RoleWorker, type StartOptions } from './start-process';
export { ClockModule, CLOCK } from './clock.module';
export { OutboxRelay } from './outbox-relay';
