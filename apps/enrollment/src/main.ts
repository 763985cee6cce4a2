import 'reflect-metadata';
import { loadConfig } from '@cadence/config';
import { startProcess } from '@cadence/runtime';
import { enrollmentRole } from './enrollment-app.module';

void startProcess(enrollmentRole, { config: loadConfig(), handleSignals: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
