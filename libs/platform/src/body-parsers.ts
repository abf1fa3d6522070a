// What the HTTP apps parse of a request body before a handler runs: JSON
// (UTF-8, an object or array at the top, at most the app's bodyLimit). Any other
// body is left unread for the handler that takes it (streamed uploads,
// RFC 3161 queries) or refuses it; Fastify would answer 415 on its own.
import type { FastifyInstance } from 'fastify';
import { AppError, ErrorCode } from '#errors';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/** Parses a JSON request body as the API accepts it; throws the 4xx it answers otherwise. */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError(ErrorCode.UnsupportedMediaType, `Request body charset "${charset}" is not supported; send UTF-8.`);
  }
  // A call without a body (a purchase) may still say it sends JSON.
  if (text.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.InvalidJson, 'Request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null) {
    throw new AppError(ErrorCode.InvalidJson, 'Request body must be a JSON object.');
  }
  return value;
}

export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(body as string, request.headers['content-type']));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
}
