// Request parsing is exercised with requests written by `openssl ts -query`
// as well as our own, and every refusal must carry the right error code.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OID } from './asn1-oids.js';
import { algorithmIdentifier, contextConstructed, DER_NULL, integer, octetString, oid, sequence, TAG, tlv } from './der-encoding.js';
import { openssl, opensslHex, scratchDir, type ScratchDir } from './openssl-cli.testing.js';
import { createTimeStampRequest, parseTimeStampRequest, TimeStampRequestError, type TimeStampRequestErrorCode } from './time-stamp-request.js';

const DATA = 'a registered work\n';
const SHA256 = createHash('sha256').update(DATA).digest();

function errorCode(der: Uint8Array): TimeStampRequestErrorCode | 'no error' {
  try {
    parseTimeStampRequest(der);
    return 'no error';
  } catch (error) {
    if (error instanceof TimeStampRequestError) return error.code;
    throw error;
  }
}

describe('parseTimeStampRequest refuses what is not DER', () => {
  const imprint = sequence(algorithmIdentifier(OID.sha256, DER_NULL), octetString(SHA256));
  const request = (...rest: Uint8Array[]) => sequence(integer(1), imprint, ...rest);

  it('accepts the DER form of each field', () => {
    expect(errorCode(request(integer(5), tlv(TAG.boolean, Uint8Array.of(0xff))))).toBe('no error');
  });

  it.each([
    ['an indefinite length', (() => {
      const der = request();
      return Uint8Array.from([0x30, 0x80, ...der.subarray(2), 0x00, 0x00]);
    })()],
    ['an empty nonce', request(tlv(TAG.integer, new Uint8Array(0)))],
    ['a nonce with a redundant leading octet', request(tlv(TAG.integer, Uint8Array.of(0x00, 0x05)))],
    ['a two-octet BOOLEAN', request(tlv(TAG.boolean, Uint8Array.of(0xff, 0xff)))],
    ['a BOOLEAN other than 00 or FF', request(tlv(TAG.boolean, Uint8Array.of(0x01)))],
  ])('%s', (_what, der) => {
    expect(errorCode(der)).toBe('malformed');
  });

  it('a NULL hash parameter with content', () => {
    const bad = sequence(integer(1), sequence(algorithmIdentifier(OID.sha256, tlv(TAG.null, Uint8Array.of(0x00))), octetString(SHA256)));
    expect(errorCode(bad)).not.toBe('no error');
  });
});

describe('createTimeStampRequest / parseTimeStampRequest', () => {
  it('round-trips digest, nonce and certReq', () => {
    const parsed = parseTimeStampRequest(createTimeStampRequest({ sha256: SHA256, nonce: 0xdeadbeefcafebabe1234n, certReq: true }));
    expect(parsed).toEqual({
      version: 1,
      hashAlgorithm: 'SHA-256',
      hashAlgorithmOid: OID.sha256,
      hashAlgorithmNullParams: true,
      hashedMessage: new Uint8Array(SHA256),
      nonce: 0xdeadbeefcafebabe1234n,
      certReq: true,
    });
  });

  it('omits nonce and certReq when not asked for', () => {
    const parsed = parseTimeStampRequest(createTimeStampRequest({ sha256: SHA256 }));
    expect(parsed.nonce).toBeUndefined();
    expect(parsed.certReq).toBe(false);
    expect(parsed.reqPolicy).toBeUndefined();
  });

  it('reads a byte-array nonce as an unsigned big-endian integer', () => {
    const parsed = parseTimeStampRequest(createTimeStampRequest({ sha256: SHA256, nonce: Uint8Array.of(0xff, 0x00, 0x01) }));
    expect(parsed.nonce).toBe(0xff0001n);
  });

  it('refuses bad inputs when creating', () => {
    expect(() => createTimeStampRequest({ sha256: SHA256.subarray(0, 31) })).toThrow(RangeError);
    expect(() => createTimeStampRequest({ sha256: SHA256, nonce: -1n })).toThrow(/negative/);
  });
});

describe('interoperability with openssl ts -query', () => {
  let dir: ScratchDir;
  beforeAll(async () => {
    dir = await scratchDir();
    await dir.write('data.txt', DATA);
  });
  afterAll(() => dir.remove());

  it('parses an OpenSSL SHA-256 request with nonce and certReq', async () => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-sha256', '-cert', '-out', 'req.tsq']);
    expect(q.code).toBe(0);
    const parsed = parseTimeStampRequest(await readFile(dir.file('req.tsq')));
    expect(parsed.hashAlgorithm).toBe('SHA-256');
    expect(parsed.hashedMessage).toEqual(new Uint8Array(SHA256));
    expect(parsed.certReq).toBe(true);
    expect(typeof parsed.nonce).toBe('bigint');
    const text = await openssl(dir.path, ['ts', '-query', '-in', 'req.tsq', '-text']);
    expect(text.stdout).toContain(`Nonce: ${opensslHex(parsed.nonce!)}`);
  });

  it('parses SHA-512 and a policy, without nonce', async () => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-sha512', '-no_nonce', '-tspolicy', '1.2.3.4.5', '-out', 'p.tsq']);
    expect(q.code).toBe(0);
    const parsed = parseTimeStampRequest(await readFile(dir.file('p.tsq')));
    expect(parsed.hashAlgorithm).toBe('SHA-512');
    expect(parsed.hashedMessage).toEqual(new Uint8Array(createHash('sha512').update(DATA).digest()));
    expect(parsed.reqPolicy).toBe('1.2.3.4.5');
    expect(parsed.nonce).toBeUndefined();
    expect(parsed.certReq).toBe(false);
  });

  it('produces requests OpenSSL reads back identically', async () => {
    await dir.write('ours.tsq', createTimeStampRequest({ sha256: SHA256, nonce: 0x1234567890abcdefn, certReq: true }));
    const { stdout, code } = await openssl(dir.path, ['ts', '-query', '-in', 'ours.tsq', '-text']);
    expect(code).toBe(0);
    expect(stdout).toContain('Hash Algorithm: sha256');
    expect(stdout).toContain('Nonce: 0x1234567890ABCDEF');
    expect(stdout).toContain('Certificate required: yes');
    // Same bytes as openssl's own request for the same inputs, modulo the nonce.
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-sha256', '-no_nonce', '-out', 'plain.tsq']);
    expect(q.code).toBe(0);
    expect(createTimeStampRequest({ sha256: SHA256 })).toEqual(new Uint8Array(await readFile(dir.file('plain.tsq'))));
  });

  it('refuses SHA-1 requests as an unsupported algorithm, naming it', async () => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-sha1', '-out', 'sha1.tsq']);
    expect(q.code).toBe(0);
    const der = await readFile(dir.file('sha1.tsq'));
    expect(errorCode(der)).toBe('unsupported-hash-algorithm');
    expect(() => parseTimeStampRequest(der)).toThrow(/SHA-1/);
  });
});

describe('parseTimeStampRequest refusals', () => {
  const imprint = (hash: string, digest: Uint8Array) => sequence(algorithmIdentifier(hash, DER_NULL), octetString(digest));

  it('classifies garbage, truncation and trailing bytes as malformed', () => {
    const good = createTimeStampRequest({ sha256: SHA256, nonce: 5n });
    expect(errorCode(Uint8Array.of(1, 2, 3, 4))).toBe('malformed');
    expect(errorCode(new Uint8Array())).toBe('malformed');
    expect(errorCode(good.subarray(0, good.length - 1))).toBe('malformed');
    expect(errorCode(Uint8Array.of(...good, 0))).toBe('malformed');
    expect(errorCode(sequence(integer(1)))).toBe('malformed');
  });

  it('refuses fields out of schema order', () => {
    // certReq before nonce
    const der = sequence(integer(1), imprint(OID.sha256, SHA256), Uint8Array.of(0x01, 0x01, 0xff), integer(9));
    expect(errorCode(der)).toBe('malformed');
  });

  it('refuses other versions', () => {
    expect(errorCode(sequence(integer(2), imprint(OID.sha256, SHA256)))).toBe('unsupported-version');
  });

  it('refuses a digest whose length does not fit the algorithm', () => {
    expect(errorCode(sequence(integer(1), imprint(OID.sha256, new Uint8Array(20))))).toBe('bad-digest-length');
    expect(errorCode(sequence(integer(1), imprint(OID.sha384, new Uint8Array(32))))).toBe('bad-digest-length');
  });

  it('refuses MD5 and hash parameters other than NULL', () => {
    expect(errorCode(sequence(integer(1), imprint('1.2.840.113549.2.5', new Uint8Array(16))))).toBe('unsupported-hash-algorithm');
    const withParams = sequence(integer(1), sequence(algorithmIdentifier(OID.sha256, integer(0)), octetString(SHA256)));
    expect(errorCode(withParams)).toBe('unsupported-hash-algorithm');
  });

  it('refuses any request extension', () => {
    const extension = sequence(oid('1.2.3.4'), octetString(Uint8Array.of(0x05, 0x00)));
    const der = sequence(integer(1), imprint(OID.sha256, SHA256), contextConstructed(0, extension));
    expect(errorCode(der)).toBe('unsupported-extension');
  });

  it('accepts an imprint without NULL parameters and remembers the form', () => {
    const der = sequence(integer(1), sequence(algorithmIdentifier(OID.sha256), octetString(SHA256)));
    expect(parseTimeStampRequest(der).hashAlgorithmNullParams).toBe(false);
  });
});
