import { isValidIdempotencyKey, requestFingerprint } from './request-fingerprint.js';

describe('requestFingerprint', () => {
  it('is the same for the same request whatever the key order of the body', () => {
    expect(requestFingerprint('post', '/v1/deposits', { a: 1, b: { c: 'x', d: [1, 2] } })).toEqual(
      requestFingerprint('POST', '/v1/deposits', { b: { d: [1, 2], c: 'x' }, a: 1 }),
    );
  });

  it('differs when the method, the path or any value differs', () => {
    const base = requestFingerprint('POST', '/v1/deposits', { amount: '100' });
    expect(requestFingerprint('PUT', '/v1/deposits', { amount: '100' })).not.toEqual(base);
    expect(requestFingerprint('POST', '/v1/payouts', { amount: '100' })).not.toEqual(base);
    expect(requestFingerprint('POST', '/v1/deposits', { amount: '101' })).not.toEqual(base);
    expect(requestFingerprint('POST', '/v1/deposits', { amount: 100 })).not.toEqual(base);
  });

  it('treats an absent body and an empty one alike, and is 32 bytes', () => {
    expect(requestFingerprint('POST', '/x', undefined)).toEqual(requestFingerprint('POST', '/x', null));
    expect(requestFingerprint('POST', '/x', undefined)).toHaveLength(32);
  });
});

describe('isValidIdempotencyKey', () => {
  it('accepts 1 to 255 printable ASCII characters and nothing else', () => {
    expect(isValidIdempotencyKey('3f1c2c1e-8b1a-4c52-9d7e-0a1b2c3d4e5f')).toBe(true);
    expect(isValidIdempotencyKey('k'.repeat(255))).toBe(true);
    for (const bad of ['', 'k'.repeat(256), 'has space', 'tab\t', 'ümlaut', undefined, 42, ['a']]) {
      expect(isValidIdempotencyKey(bad)).toBe(false);
    }
  });
});
