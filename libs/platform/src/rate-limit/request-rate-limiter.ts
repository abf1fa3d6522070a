// The request-rate limit of the HTTP APIs (issue 6: there was none outside
// POST /v1/tsa). A request with a valid key counts against that key; one
// without (public endpoints), or with a key that does not authenticate,
// counts against the client address, so a flood of made-up keys is bounded
// too (a key that is not even well-formed costs no database lookup; a
// well-formed unknown one costs one, then is remembered for a few seconds,
// apart from the cache of real keys). Limits are per minute, shared by all
// processes of both apps through Redis (RATE_LIMIT_PER_KEY,
// RATE_LIMIT_PER_ADDRESS; 0 turns one off). Over the limit: 429
// TOO_MANY_REQUESTS with Retry-After.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, type AppConfig } from '../app-config.provider.js';
import { FixedWindowCounter } from './fixed-window-counter.js';

export type RateSubject = { keyId: string } | { address: string };

export function clientAddress(request: FastifyRequest): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

@Injectable()
export class RequestRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(RequestRateLimiter.name);
  private readonly counter: FixedWindowCounter | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { perKey, perAddress } = config.rateLimit;
    this.counter = perKey || perAddress ? new FixedWindowCounter(config.redisUrl, { name: 'api', log: (message) => this.logger.warn(message) }) : undefined;
  }

  /** Counts one request; throws 429 (with Retry-After set on `response`) when over the limit. */
  async admit(subject: RateSubject, response: FastifyReply): Promise<void> {
    const [bucket, limit] = 'keyId' in subject ? [`key:${subject.keyId}`, this.config.rateLimit.perKey] : [`addr:${subject.address}`, this.config.rateLimit.perAddress];
    if (!this.counter || limit === 0) return;
    const decision = await this.counter.take(bucket, limit);
    if (decision.allowed) return;
    response.header('Retry-After', String(decision.retryAfterSeconds));
    response.header('RateLimit-Limit', String(decision.limit));
    response.header('RateLimit-Remaining', '0');
    const who = 'keyId' in subject ? 'this API key' : 'this address';
    throw new AppError(ErrorCode.TooManyRequests, `At most ${decision.limit} requests per minute from ${who}; retry in ${decision.retryAfterSeconds} s.`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }

  onApplicationShutdown(): void {
    this.counter?.close();
  }
}
