// Rate limit for POST /v1/tsa, shared by every registry process through Redis:
// a fixed one-minute window per caller (API key, or client address without
// one). Stricter than the request-rate limit of the whole API, because each
// call signs. If Redis is down the request is let through: tokens are cheap,
// refusing every draft is not. The counting itself is the platform's
// FixedWindowCounter, which the API-wide limit uses too.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, FixedWindowCounter, type AppConfig, type RateDecision } from '#platform';

export type { RateDecision };

@Injectable()
export class TsaRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(TsaRateLimiter.name);
  private readonly counter: FixedWindowCounter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.counter = new FixedWindowCounter(config.redisUrl, { name: 'tsa', log: (message) => this.logger.warn(message) });
  }

  /** Counts one request by `caller` ("key:<id>" or "addr:<ip>"). */
  take(caller: { keyId: string } | { address: string }): Promise<RateDecision> {
    return 'keyId' in caller
      ? this.counter.take(`key:${caller.keyId}`, this.config.tsa.rateLimitPerKey)
      : this.counter.take(`addr:${caller.address}`, this.config.tsa.rateLimitPerAddress);
  }

  onApplicationShutdown(): void {
    this.counter.close();
  }
}
