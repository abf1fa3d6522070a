// Registration certificates: the document format, building it, and checking
// it offline (and against the live log). Pure: no framework, no database; the
// registry, the verify command and the evidence package share it.
export * from './certificate-document.js';
export * from './registration-metadata.js';
export * from './build-certificate.js';
export * from './public-registration.js';
export * from './verify-certificate.js';
export * from './verify-against-log.js';
export { canonicalEqual } from './canonical-equal.js';
