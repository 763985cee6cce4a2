export * from './reason-codes';
export * from './sequence-definition';
export * from './enrollment-decision';
export * from './schedule';
export * from './clock';
export * from './enrollment-transition';
export * from './send-window';
