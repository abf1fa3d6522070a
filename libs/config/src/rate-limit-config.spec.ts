import { loadConfig } from './app-config.js';

const base = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('request-rate limit settings', () => {
  it('are generous by default (a flood guard), per key and per address', () => {
    expect(loadConfig(base).rateLimit).toEqual({ perKey: 600_000, perAddress: 60_000 });
  });

  it('take whole numbers per minute, 0 turning a limit off', () => {
    expect(loadConfig({ ...base, RATE_LIMIT_PER_KEY: '1200', RATE_LIMIT_PER_ADDRESS: '0' }).rateLimit).toEqual({ perKey: 1200, perAddress: 0 });
    expect(() => loadConfig({ ...base, RATE_LIMIT_PER_KEY: '-1' })).toThrow(/RATE_LIMIT_PER_KEY/);
    expect(() => loadConfig({ ...base, RATE_LIMIT_PER_ADDRESS: 'lots' })).toThrow(/RATE_LIMIT_PER_ADDRESS/);
  });
});
