// Turns every error into one JSON shape: { error: { code, message, details? } }.
// Expected failures carry a stable code; anything unexpected becomes a 500
// with an error id that is logged with the stack and returned to the caller,
// so a report can be matched to the log without leaking internals.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { AppError, ErrorCode, httpStatusOf } from '#errors';
import { LedgerInconsistentError } from '#ledger-store';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; errorId?: string };
}

/** Errors raised by Express middleware (body parser) before a handler runs. */
function fromMiddleware(error: { type?: string; status?: number; statusCode?: number }): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new AppError(ErrorCode.PayloadTooLarge, 'Request body is too large.');
    case 'entity.parse.failed':
      return new AppError(ErrorCode.InvalidJson, 'Request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(ErrorCode.UnsupportedMediaType, 'Request body encoding is not supported; send UTF-8.');
    default:
      return undefined;
  }
}

function fromHttpException(error: HttpException): AppError {
  const status = error.getStatus();
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
  const message = status === 404 ? 'No such endpoint.' : error.message;
  return new AppError(code, message);
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

@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    // Express wraps body-parser errors in an HttpException whose cause says what failed.
    const middlewareError = (exception instanceof HttpException ? exception.cause : exception) as { type?: string } | undefined;
    const known =
      exception instanceof AppError
        ? exception
        : ((typeof middlewareError === 'object' && middlewareError !== null ? fromMiddleware(middlewareError) : undefined) ??
          (exception instanceof HttpException ? fromHttpException(exception) : undefined));

    let body: ErrorBody;
    let status: number;
    if (exception instanceof LedgerInconsistentError) {
      // Never a proof that would not verify; the operator must run ledger:check.
      this.logger.error(`ledger inconsistent, proof refused: ${exception.message}; run npm run ledger:check`);
      status = 503;
      body = { error: { code: ErrorCode.LedgerInconsistent, message: 'The ledger storage does not match its signed checkpoints; proofs are withheld until an operator repairs it.' } };
    } else if (known) {
      status = httpStatusOf(known.code);
      body = { error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } };
    } else if (isDatabaseUnavailable(exception)) {
      status = 503;
      body = { error: { code: ErrorCode.ServiceUnavailable, message: 'The database is unavailable; retry shortly.' } };
      response.setHeader('Retry-After', '2');
    } else {
      const errorId = randomUUID();
      this.logger.error(`errorId=${errorId} ${(exception as Error)?.stack ?? String(exception)}`);
      status = 500;
      body = { error: { code: ErrorCode.Internal, message: 'Internal error; quote the errorId when reporting it.', errorId } };
    }
    if (response.headersSent) return;
    response.status(status).json(body);
  }
}
