import 'reflect-metadata';
import { loadConfig } from '@cadence/config';
import { startProcess } from '@cadence/runtime';
import { inactivityWatcherRole } from './inactivity-watcher-app.module';

void startProcess(inactivityWatcherRole, { config: loadConfig(), handleSignals: true }).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
