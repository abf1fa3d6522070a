import { loadEmbeddedPostgres } from './embedded-database.js';

describe('loadEmbeddedPostgres', () => {
  it('leaves no signal listener behind: the caller, not the package, decides when the database stops', async () => {
    const signals = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
    const before = signals.map((signal) => process.listenerCount(signal));
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe('function');
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
  });
});
