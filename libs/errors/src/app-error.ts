// The one error type use cases throw. It carries a stable code and a message a
// person can act on; the HTTP layer turns the code into a status.
import type { ErrorCode } from './error-code.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
