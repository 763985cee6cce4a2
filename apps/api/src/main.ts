import 'reflect-metadata';
import { loadConfig } from '@cadence/config';
import { startProcess } from '@cadence/runtime';
import { apiRole } from './api-app.module';

void startProcess(apiRole, { config: loadConfig(), handleSignals: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
