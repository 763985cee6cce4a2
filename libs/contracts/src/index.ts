export * from './vocabulary';
export * from './messages';
export * from './topics';
export * from './schema-files';
export * from './validation';
export * from './conversation-activity.validation';
export * from './commands';
export * from './enrollment-command.validation';
