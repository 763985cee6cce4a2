import { loadConfig, type AppConfig } from '@cadence/config';
import { startTracing, type Tracing } from './tracing';

/**
 * A role process's entry: reads the configuration, starts tracing, then runs `start`, which loads the role's
 * modules. The order matters: the http and pg instrumentations patch those modules as they are first loaded.
 * A failure to start (an invalid setting) is printed and ends the process.
 */
export function bootTraced(
  role: string,
  start: (config: AppConfig, tracing: Tracing) => Promise<unknown>,
): void {
  const boot = async () => {
    const config = loadConfig();
    const tracing = startTracing({
      serviceName: `cadence-${role}`,
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      sampleRatio: config.TRACE_SAMPLE_RATIO,
      instrument: true,
    });
    await start(config, tracing);
  };
  boot().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
