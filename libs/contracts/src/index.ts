export * from './vocabulary';
export * from './messages';
export * from './topics';
export * from './schema-files';
