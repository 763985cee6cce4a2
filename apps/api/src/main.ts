import 'reflect-metadata';
import { bootTraced } from '@cadence/observability';

// The role's modules are loaded once tracing started (see bootTraced).
bootTraced('api', async (config, tracing) => {
  const [{ startProcess }, { apiRole }] = await Promise.all([
    import('@cadence/runtime'),
    import('./api-app.module'),
  ]);
  await startProcess(apiRole, { config, tracing, handleSignals: true });
});
