import 'reflect-metadata';
import { bootTraced } from '@cadence/observability';

// The role's modules are loaded once tracing started (see bootTraced).
bootTraced('step-runner', async (config, tracing) => {
  const [{ startProcess }, { stepRunnerRole }] = await Promise.all([
    import('@cadence/runtime'),
    import('./step-runner-app.module'),
  ]);
  await startProcess(stepRunnerRole, { config, tracing, handleSignals: true });
});
