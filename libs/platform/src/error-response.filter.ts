// Turns every error into one JSON shape: { error: { code, message, details? } }.
// Expected failures carry a stable code; anything unexpected becomes a 500
// with an error id that is logged with the stack and returned to the caller,
// so a report can be matched to the log without leaking internals.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { AppError, ErrorCode, httpStatusOf } from '#errors';
import { LedgerInconsistentError } from '#ledger-store';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; errorId?: string };
}

/** Errors Fastify raises while routing a request or reading its body, before a handler runs. */
function fromFastify(error: { code?: string }): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new AppError(ErrorCode.ValidationFailed, 'The URL is not valid (a path segment has bad percent-encoding).');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(ErrorCode.PayloadTooLarge, 'Request body is too large.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(ErrorCode.ValidationFailed, 'The request body does not match its Content-Length.');
    default:
      return undefined;
  }
}

/** An HTTP error without our code (Nest's, or Fastify's own), by its status. */
function fromStatus(status: number, message: string): AppError {
  const codeByStatus: Record<number, ErrorCode> = {
    400: ErrorCode.ValidationFailed,
    401: ErrorCode.Unauthenticated,
    403: ErrorCode.Forbidden,
    404: ErrorCode.NotFound,
    413: ErrorCode.PayloadTooLarge,
    415: ErrorCode.UnsupportedMediaType,
    429: ErrorCode.TooManyRequests,
    503: ErrorCode.ServiceUnavailable,
  };
  const code = codeByStatus[status] ?? (status < 500 ? ErrorCode.ValidationFailed : ErrorCode.Internal);
  return new AppError(code, status === 404 ? 'No such endpoint.' : message);
}

/** A Fastify error a client caused (4xx); a 5xx one stays an unexpected error. */
function clientFastifyError(error: unknown): error is { statusCode: number; message: string } {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && /^FST_/.test((error as { code?: string }).code ?? '');
}

/** Connection-level database failures mean "try again", not "bug". */
export function isDatabaseUnavailable(error: unknown): boolean {
  // When a transaction's connection dies (server shut down or restarted), pg
  // emits an error event and TypeORM releases the transaction's query runner
  // at once; the transaction's next statement then fails with one of these
  // instead of the connection error. Found by the PostgreSQL restart fault
  // test: purchases answered 500 while the database went down.
  if (error instanceof QueryRunnerProviderAlreadyReleasedError || error instanceof QueryRunnerAlreadyReleasedError) return true;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end on the pool/.test(message);
}

const logger = new Logger('Errors');

function knownError(exception: unknown): AppError | undefined {
  if (exception instanceof AppError) return exception;
  // Nest wraps Fastify's own errors in an HttpException whose cause says what failed.
  const cause = exception instanceof HttpException ? exception.cause : exception;
  const fromFramework = typeof cause === 'object' && cause !== null ? fromFastify(cause) : undefined;
  if (fromFramework) return fromFramework;
  if (exception instanceof HttpException) return fromStatus(exception.getStatus(), exception.message);
  if (clientFastifyError(exception)) return fromStatus(exception.statusCode, exception.message);
  return undefined;
}

/** Answers any error in the one JSON shape. */
export function sendError(reply: FastifyReply, exception: unknown): void {
  const known = knownError(exception);
  let body: ErrorBody;
  let status: number;
  if (exception instanceof LedgerInconsistentError) {
    // Never a proof that would not verify; the operator must run ledger:check.
    logger.error(`ledger inconsistent, proof refused: ${exception.message}; run npm run ledger:check`);
    status = 503;
    body = { error: { code: ErrorCode.LedgerInconsistent, message: 'The ledger storage does not match its signed checkpoints; proofs are withheld until an operator repairs it.' } };
  } else if (known) {
    status = httpStatusOf(known.code);
    body = { error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } };
  } else if (isDatabaseUnavailable(exception)) {
    status = 503;
    body = { error: { code: ErrorCode.ServiceUnavailable, message: 'The database is unavailable; retry shortly.' } };
    reply.header('Retry-After', '2');
  } else {
    const errorId = randomUUID();
    logger.error(`errorId=${errorId} ${(exception as Error)?.stack ?? String(exception)}`);
    status = 500;
    body = { error: { code: ErrorCode.Internal, message: 'Internal error; quote the errorId when reporting it.', errorId } };
  }
  if (reply.sent) return;
  reply.status(status).send(body);
}

/** For errors inside Nest's pipeline (guards, pipes, handlers). */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<FastifyReply>(), exception);
  }
}
