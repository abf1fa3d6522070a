import { closedAncestor, clusterDirectory, loadEmbeddedPostgres } from './embedded-database.js';

describe('loadEmbeddedPostgres', () => {
  it('leaves no signal listener behind: the caller, not the package, decides when the database stops', async () => {
    const signals = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
    const before = signals.map((signal) => process.listenerCount(signal));
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    expect(typeof EmbeddedPostgres).toBe('function');
    expect(signals.map((signal) => process.listenerCount(signal))).toEqual(before);
  });
});

describe('where the embedded cluster lives', () => {
  const modes: Record<string, number> = { '/': 0o755, '/root': 0o700, '/root/app': 0o755, '/home': 0o755, '/home/ann': 0o751, '/home/ann/app': 0o755 };
  const closed = (dir: string) => closedAncestor(dir, (d) => modes[d] ?? 0o755);

  it('finds the first directory above that other users cannot enter', () => {
    expect(closed('/root/app/data/postgres')).toBe('/root');
    expect(closed('/home/ann/app/data/postgres')).toBeUndefined();
  });

  it('keeps DATA_DIR/postgres unless root runs it under a closed directory, then one fixed place per DATA_DIR under /var/lib', () => {
    expect(clusterDirectory('/home/ann/app/data', true, closed)).toEqual({ dir: '/home/ann/app/data/postgres' });
    expect(clusterDirectory('/root/app/data', false, closed)).toEqual({ dir: '/root/app/data/postgres' });
    const moved = clusterDirectory('/root/app/data', true, closed);
    expect(moved.dir).toMatch(/^\/var\/lib\/copyright-ledger\/postgres-[0-9a-f]{12}$/);
    expect(moved.because).toContain('cannot enter /root');
    expect(clusterDirectory('/root/app/data', true, closed)).toEqual(moved);
    expect(clusterDirectory('/root/other/data', true, closed).dir).not.toBe(moved.dir);
  });
});
