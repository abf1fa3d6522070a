// Refuses request input that no field of this API accepts but that breaks
// things further in, before any DTO, idempotency check or query sees it
// (issue 6, found by the bad-input attack tests):
// - U+0000 in any string: PostgreSQL text and jsonb cannot hold it, so the
//   insert failed as a 500 (titles, party names, memos, reasons, ?q=).
// - Unpaired UTF-16 surrogates ("\ud800" in JSON): not Unicode. Canonical
//   JSON refuses them (a 500 on registration) and PostgreSQL would store
//   U+FFFD instead, so a stored memo or title silently differed from the one
//   sent and hashed.
// - Nesting deeper than any DTO: class-transformer, canonical JSON and
//   JSON.stringify recurse, and 5,000 nested arrays in an unknown field
//   overflowed the stack (a 500) before validation could refuse the field.
// - "__proto__" keys: JSON.parse makes them own properties, and copying such
//   an object (Object.assign of multipart metadata) replaced its prototype.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { AppError, ErrorCode } from '#errors';

/** Deeper than any request DTO (licence terms are the deepest, at 3). */
export const MAX_INPUT_DEPTH = 16;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode (unpaired surrogate)';
  return undefined;
}

/**
 * The first problem in a parsed JSON value (or query object), naming the
 * field; undefined when it is clean. Iterative, so hostile nesting cannot
 * overflow the stack here either.
 */
export function inputProblem(value: unknown, root: string): { field: string; message: string } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) return { field: path, message: `${path} ${problem}` };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: path, message: `${path} is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(current)) {
      if (key === '__proto__') return { field: path, message: `${path} has a "__proto__" key` };
      const problem = stringProblem(key);
      if (problem) return { field: path, message: `a key in ${path} ${problem}` };
      stack.push({ value: (current as Record<string, unknown>)[key], path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Throws the 400 every app answers for such input. */
export function assertCleanInput(value: unknown, root: string): void {
  const problem = inputProblem(value, root);
  if (problem) throw new AppError(ErrorCode.ValidationFailed, `Invalid request: ${problem.message}.`, { field: problem.field });
}

/**
 * Global: checks the parsed JSON body and the query string of every request.
 * Runs after authentication (an anonymous caller learns nothing about a
 * protected endpoint) and before route interceptors and pipes. Multipart
 * fields are checked where they are parsed (validateDto).
 */
@Injectable()
export class InputHygieneInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    assertCleanInput(request.query, 'query');
    if (request.body !== undefined) assertCleanInput(request.body, 'body');
    return next.handle();
  }
}
