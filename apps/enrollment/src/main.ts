import 'reflect-metadata';
import { bootTraced } from '@cadence/observability';

// The role's modules are loaded once tracing started (see bootTraced).
bootTraced('enrollment', async (config, tracing) => {
  const [{ startProcess }, { enrollmentRole }] = await Promise.all([
    import('@cadence/runtime'),
    import('./enrollment-app.module'),
  ]);
  await startProcess(enrollmentRole, { config, tracing, handleSignals: true });
});
