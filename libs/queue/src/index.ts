export * from './job-contracts.js';
export * from './outbox.js';
export * from './outbox-relay.js';
export * from './with-timeout.js';
export * from './retry-later.js';
