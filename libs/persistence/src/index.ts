export * from './data-source-options.js';
export * from './entities/index.js';
export * from './run-migrations.js';
export * from './sequence-blocks.js';
export * from './statement-batcher.js';
export * from './sql-state.js';
