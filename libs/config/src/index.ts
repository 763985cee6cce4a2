export { configSchema, type AppConfig } from './config.schema';
export { loadConfig, ConfigError } from './load-config';
export { APP_CONFIG } from './tokens';
export { ConfigModule } from './config.module';
