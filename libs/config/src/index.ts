export {
  configSchema,
  TOPIC_CLASSES,
  TOPIC_COMPRESSIONS,
  type AppConfig,
  type TopicClass,
} from './config.schema';
export { loadConfig, ConfigError, secretValues } from './load-config';
export { APP_CONFIG } from './tokens';
export { ConfigModule } from './config.module';
