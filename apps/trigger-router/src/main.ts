import 'reflect-metadata';
import { bootTraced } from '@cadence/observability';

// The role's modules are loaded once tracing started (see bootTraced).
bootTraced('trigger-router', async (config, tracing) => {
  const [{ startProcess }, { triggerRouterRole }] = await Promise.all([
    import('@cadence/runtime'),
    import('./trigger-router-app.module'),
  ]);
  await startProcess(triggerRouterRole, { config, tracing, handleSignals: true });
});
