import 'reflect-metadata';
import { loadConfig } from '@cadence/config';
import { startProcess } from '@cadence/runtime';
import { triggerRouterRole } from './trigger-router-app.module';

void startProcess(triggerRouterRole, { config: loadConfig(), handleSignals: true }).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
