import { ConfigError, loadConfig } from './app-config.js';

const base = { DATABASE_URL: 'postgres://localhost/x', REDIS_URL: 'redis://localhost:6379' };

describe('loadConfig: time-stamp authority settings', () => {
  it('defaults to generated credentials, tokens on every registration, and modest rate limits', () => {
    expect(loadConfig(base).tsa).toEqual({ name: 'Copyright Ledger', files: undefined, registrationTokens: true, rateLimitPerKey: 600, rateLimitPerAddress: 60 });
  });

  it('takes all three credential files, resolved, or refuses a partial set', () => {
    const files = loadConfig({ ...base, TSA_CA_CERT_FILE: 'ca.pem', TSA_CERT_FILE: '/etc/tsa/tsa.pem', TSA_KEY_FILE: '/etc/tsa/tsa.key' }).tsa.files!;
    expect(files.caCert).toMatch(/^\/.*ca\.pem$/);
    expect(files.tsaKey).toBe('/etc/tsa/tsa.key');
    expect(() => loadConfig({ ...base, TSA_CERT_FILE: 'tsa.pem' })).toThrow(ConfigError);
  });

  it('validates the switch, the limits and the name', () => {
    expect(loadConfig({ ...base, REGISTRATION_TIMESTAMPS: 'off' }).tsa.registrationTokens).toBe(false);
    expect(() => loadConfig({ ...base, REGISTRATION_TIMESTAMPS: 'maybe' })).toThrow(/REGISTRATION_TIMESTAMPS/);
    expect(() => loadConfig({ ...base, TSA_RATE_LIMIT_PER_KEY: '0' })).toThrow(/TSA_RATE_LIMIT_PER_KEY/);
    expect(() => loadConfig({ ...base, TSA_NAME: 'x'.repeat(41) })).toThrow(/TSA_NAME/);
  });
});
