export * from './idempotency-claim.js';
export * from './idempotency.interceptor.js';
export * from './idempotency.module.js';
export * from './idempotency.store.js';
export * from './idempotent-transaction.js';
export * from './idempotent.decorator.js';
export * from './request-fingerprint.js';
