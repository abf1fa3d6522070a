export * from './api-key-secret.js';
export * from './api-key.guard.js';
export * from './api-key.service.js';
export * from './auth.decorators.js';
export * from './auth.module.js';
export * from './principal.js';
