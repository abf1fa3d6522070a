import { ConfigError, loadConfig } from './app-config.js';

const base = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('loadConfig', () => {
  it('fills defaults and resolves the data directory', () => {
    const config = loadConfig(base);
    expect(config.registryPort).toBe(3000);
    expect(config.exchangePort).toBe(3001);
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(config.upload.maxBytes).toBe(2 * 1024 ** 3);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.adminApiKey).toBeUndefined();
    expect(config.queue).toEqual({ prefix: '{copyright}', concurrency: 2, retryLaterMs: 5000 });
    expect(config.upload.sightingMaxBytes).toBe(64 * 1024 ** 2);
  });

  it('links to a host a browser can open when HOST is a wildcard or IPv6 and PUBLIC_BASE_URL is unset', () => {
    expect(loadConfig({ ...base, HOST: '0.0.0.0' }).publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...base, HOST: '::' }).publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...base, HOST: '::1', REGISTRY_PORT: '8080' }).publicBaseUrl).toBe('http://[::1]:8080');
    expect(loadConfig({ ...base, HOST: 'registry.internal' }).publicBaseUrl).toBe('http://registry.internal:3000');
    expect(loadConfig({ ...base, HOST: '0.0.0.0', PUBLIC_BASE_URL: 'https://reg.example.org' }).publicBaseUrl).toBe('https://reg.example.org');
  });

  it('parses sizes, ports and trims values', () => {
    const config = loadConfig({ ...base, MAX_UPLOAD_BYTES: '512M', REGISTRY_PORT: ' 8080 ', PUBLIC_BASE_URL: 'https://reg.example.org/' });
    expect(config.upload.maxBytes).toBe(512 * 1024 ** 2);
    expect(config.registryPort).toBe(8080);
    expect(config.publicBaseUrl).toBe('https://reg.example.org');
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'DATABASE_URL', 'is required'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'must use postgres:'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL', 'not a valid URL'],
    [{ REGISTRY_PORT: 'abc' }, 'REGISTRY_PORT', 'whole number'],
    [{ EXCHANGE_PORT: '70000' }, 'EXCHANGE_PORT', 'between 1 and 65535'],
    [{ MAX_UPLOAD_BYTES: 'lots' }, 'MAX_UPLOAD_BYTES', 'size like'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'one of'],
    [{ LEDGER_ORIGIN: 'has space' }, 'LEDGER_ORIGIN', 'spaces'],
    [{ LEDGER_SIGNING_KEY: 'c2hvcnQ=' }, 'LEDGER_SIGNING_KEY', '32-byte'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY', 'at least 24'],
    [{ QUEUE_PREFIX: 'copyright' }, 'QUEUE_PREFIX', 'hash tag'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY', 'between 1 and 64'],
    [{ EXCHANGE_PORT: '3000' }, 'EXCHANGE_PORT', 'must differ from REGISTRY_PORT'],
    [{ WORKER_HEALTH_PORT: '3001' }, 'WORKER_HEALTH_PORT', 'must differ'],
    [{ HOST: 'http://0.0.0.0' }, 'HOST', 'IP address or a host name'],
    [{ HOST: 'bad host' }, 'HOST', 'IP address or a host name'],
  ])('refuses %j with one line naming the variable', (change, variable, text) => {
    let error: unknown;
    try {
      loadConfig({ ...base, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(text);
    expect((error as ConfigError).message).not.toContain('\n');
  });
});
