// Rate limit for POST /v1/tsa, shared by every registry process through Redis:
// a fixed one-minute window per caller (API key, or client address without
// one), counted with INCR and expired with the window. If Redis is down the
// request is let through: tokens are cheap, refusing every draft is not.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#platform';

const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

@Injectable()
export class TsaRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(TsaRateLimiter.name);
  private readonly redis: Redis;
  private lastWarning = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'tsa-rate-limit', commandTimeout: 1000 });
    this.redis.on('error', () => undefined); // reported per request below
  }

  /** Counts one request by `caller` ("key:<id>" or "addr:<ip>"). */
  async take(caller: { keyId: string } | { address: string }): Promise<RateDecision> {
    const [subject, limit] = 'keyId' in caller ? [`key:${caller.keyId}`, this.config.tsa.rateLimitPerKey] : [`addr:${caller.address}`, this.config.tsa.rateLimitPerAddress];
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    try {
      const key = `rate:tsa:${subject}:${window}`;
      const replies = await this.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), retryAfterSeconds };
    } catch (error) {
      if (now - this.lastWarning > WINDOW_MS) {
        this.lastWarning = now;
        this.logger.warn(`rate limit not enforced, Redis unavailable: ${(error as Error).message}`);
      }
      return { allowed: true, limit, remaining: limit, retryAfterSeconds };
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
