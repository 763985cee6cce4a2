import 'reflect-metadata';
import { loadConfig } from '@cadence/config';
import { startProcess } from '@cadence/runtime';
import { stepRunnerRole } from './step-runner-app.module';

void startProcess(stepRunnerRole, { config: loadConfig(), handleSignals: true }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
