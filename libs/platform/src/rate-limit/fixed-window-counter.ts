// Counts requests per subject in fixed one-minute windows, in Redis, so every
// process of every app shares one count (first used by POST /v1/tsa, now also
// for the request-rate limit of the whole API). One atomic script per
// request: INCR, and PEXPIRE when the window's key is new.
//
// If Redis is unavailable the request is let through: refusing every call
// while Redis is down would turn a queue outage into a full outage. After a
// failure Redis is not asked again for a few seconds, so a hung Redis costs
// at most one short timeout, not one per request.
import { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

const TAKE_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const BYPASS_AFTER_FAILURE_MS = 5_000;

type CountingRedis = Redis & { rateTake(key: string, ttlMs: number): Promise<number> };

export interface FixedWindowCounterOptions {
  /** Part of every Redis key ("rate:<name>:<subject>:<window>"). */
  name: string;
  windowMs?: number;
  log?: (message: string) => void;
}

export class FixedWindowCounter {
  private readonly redis: CountingRedis;
  private readonly windowMs: number;
  /** Subjects already over their limit, with the end of that window: refused without asking Redis. */
  private readonly blocked = new Map<string, number>();
  private bypassUntil = 0;
  private lastWarning = 0;

  constructor(
    redisUrl: string,
    private readonly options: FixedWindowCounterOptions,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    const redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      connectionName: `rate-limit-${options.name}`,
      commandTimeout: 500,
    });
    redis.on('error', () => undefined); // reported per request below
    redis.defineCommand('rateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.redis = redis as CountingRedis;
  }

  async take(subject: string, limit: number): Promise<RateDecision> {
    const now = Date.now();
    const window = Math.floor(now / this.windowMs);
    const windowEnd = (window + 1) * this.windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
    const blockedUntil = this.blocked.get(subject);
    if (blockedUntil !== undefined && blockedUntil > now) return { allowed: false, limit, remaining: 0, retryAfterSeconds };
    if (now < this.bypassUntil) return { allowed: true, limit, remaining: limit, retryAfterSeconds };
    try {
      const count = Number(await this.redis.rateTake(`rate:${this.options.name}:${subject}:${window}`, this.windowMs * 2));
      const allowed = count <= limit;
      if (!allowed) this.block(subject, windowEnd, now);
      return { allowed, limit, remaining: Math.max(0, limit - count), retryAfterSeconds };
    } catch (error) {
      this.bypassUntil = now + BYPASS_AFTER_FAILURE_MS;
      if (now - this.lastWarning > this.windowMs) {
        this.lastWarning = now;
        this.options.log?.(`rate limit not enforced, Redis unavailable: ${(error as Error).message}`);
      }
      return { allowed: true, limit, remaining: limit, retryAfterSeconds };
    }
  }

  close(): void {
    this.redis.disconnect();
  }

  private block(subject: string, until: number, now: number): void {
    if (this.blocked.size >= 10_000) for (const [key, end] of this.blocked) if (end <= now) this.blocked.delete(key);
    if (this.blocked.size < 10_000) this.blocked.set(subject, until);
  }
}
