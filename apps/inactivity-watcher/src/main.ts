import 'reflect-metadata';
import { bootTraced } from '@cadence/observability';

// The role's modules are loaded once tracing started (see bootTraced).
bootTraced('inactivity-watcher', async (config, tracing) => {
  const [{ startProcess }, { inactivityWatcherRole }] = await Promise.all([
    import('@cadence/runtime'),
    import('./inactivity-watcher-app.module'),
  ]);
  await startProcess(inactivityWatcherRole, { config, tracing, handleSignals: true });
});
