import { requestTimeoutMs } from './create-http-app.js';

describe('requestTimeoutMs', () => {
  it('gives the largest upload time to arrive at 512 KiB/s, and never less than five minutes', () => {
    expect(requestTimeoutMs(2 * 1024 ** 3)).toBe(4096 * 1000);
    expect(requestTimeoutMs(64 * 1024 ** 2)).toBe(300_000);
    expect(requestTimeoutMs(1024 ** 3 + 1)).toBe(2049 * 1000);
  });
});
