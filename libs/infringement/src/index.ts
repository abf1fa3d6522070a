// Infringement domain rules, pure (no framework, no database): the report
// workflow and severity, the use a suspect copy makes (for the licence
// check), the image index plan, similarity evidence, the confirmation the
// ledger records, the evidence package with its offline verifier, and the
// takedown notice.
export * from './report-status.js';
export * from './fold-chinese.js';
export * from './licensed-use.js';
export * from './hash64.js';
export * from './image-index.js';
export * from './similarity.js';
export * from './confirmation.js';
export * from './takedown-notice.js';
export * from './evidence-package.js';
export * from './licence-check.js';
