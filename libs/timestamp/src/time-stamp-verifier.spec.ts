// The verifier must accept exactly what it should: good tokens pass every
// check, and tampering, wrong data, foreign CAs and garbage each fail with the
// check that explains why — without ever throwing. OpenSSL is consulted as a
// second opinion on the negative cases.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { openssl, scratchDir, type ScratchDir } from './openssl-cli.testing.js';
import { TimeStampAuthority } from './time-stamp-authority.js';
import { createTimeStampRequest } from './time-stamp-request.js';
import { verifyTimeStampResponse, verifyTimeStampToken, type TimeStampVerification } from './time-stamp-verifier.js';
import { generateTsaCredentials, loadTsaCredentials, type GeneratedTsaCredentials } from './tsa-credentials.js';

const SHA256 = new Uint8Array(createHash('sha256').update('registered work #1').digest());
const OTHER_SHA256 = new Uint8Array(createHash('sha256').update('registered work #2').digest());

const ALL_CHECKS = [
  'structure',
  'status',
  'signed-data',
  'tst-info',
  'signer-certificate',
  'message-digest',
  'signature',
  'signing-certificate',
  'certificate-chain',
  'timestamping-eku',
  'imprint',
];

function failed(result: TimeStampVerification): string[] {
  return result.checks.filter((c) => !c.ok).map((c) => c.name);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(Buffer.from(needle));
}

describe('verifyTimeStampResponse', () => {
  let a: GeneratedTsaCredentials;
  let b: GeneratedTsaCredentials;
  let tsaA: TimeStampAuthority;
  let tsaB: TimeStampAuthority;
  let good: Uint8Array;
  let dir: ScratchDir;

  beforeAll(async () => {
    [a, b] = await Promise.all([generateTsaCredentials('Alpha'), generateTsaCredentials('Beta')]);
    tsaA = new TimeStampAuthority(loadTsaCredentials(a));
    tsaB = new TimeStampAuthority(loadTsaCredentials(b));
    good = (await tsaA.timeStampSha256(SHA256)).response;
    dir = await scratchDir();
    await dir.write('ca-a.pem', a.caCertPem);
    await dir.write('tsa-a.pem', a.tsaCertPem);
  });
  afterAll(() => dir.remove());

  async function opensslAccepts(response: Uint8Array, digest: Uint8Array): Promise<boolean> {
    await dir.write('candidate.der', response);
    const hex = Buffer.from(digest).toString('hex');
    const r = await openssl(dir.path, ['ts', '-verify', '-in', 'candidate.der', '-digest', hex, '-CAfile', 'ca-a.pem', '-untrusted', 'tsa-a.pem']);
    return r.code === 0;
  }

  it('accepts a good token, passing every check and reporting its contents', async () => {
    const result = verifyTimeStampResponse(good, { caCertPem: a.caCertPem, sha256: SHA256 });
    expect(failed(result)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual(ALL_CHECKS);
    expect(result.ok).toBe(true);
    expect(result.hashAlgorithm).toBe('SHA-256');
    expect(result.imprint).toEqual(SHA256);
    expect(result.genTime).toBeInstanceOf(Date);
    expect(typeof result.serialNumber).toBe('bigint');
    expect(result.policy).toBe(tsaA.policy);
    expect(result.tsaSubject).toBe('CN=Alpha TSA');
    expect(await opensslAccepts(good, SHA256)).toBe(true);
  });

  it('checks the nonce when one is expected', async () => {
    const response = await tsaA.issue(createTimeStampRequest({ sha256: SHA256, nonce: 99n, certReq: true }));
    expect(verifyTimeStampResponse(response, { caCertPem: a.caCertPem, nonce: 99n }).ok).toBe(true);
    const wrong = verifyTimeStampResponse(response, { caCertPem: a.caCertPem, nonce: 98n });
    expect(failed(wrong)).toEqual(['nonce']);
  });

  it('rejects a wrong imprint, and only for that reason', async () => {
    const result = verifyTimeStampResponse(good, { caCertPem: a.caCertPem, sha256: OTHER_SHA256 });
    expect(result.ok).toBe(false);
    expect(failed(result)).toEqual(['imprint']);
    expect(await opensslAccepts(good, OTHER_SHA256)).toBe(false);
  });

  it('rejects a token whose TSTInfo was altered (message digest no longer matches)', async () => {
    const tampered = good.slice();
    const at = indexOf(tampered, SHA256);
    expect(at).toBeGreaterThan(0);
    tampered[at] ^= 0x01;
    const altered = tampered.slice(at, at + 32);
    const result = verifyTimeStampResponse(tampered, { caCertPem: a.caCertPem, sha256: altered });
    expect(failed(result)).toEqual(['message-digest']);
    expect(await opensslAccepts(tampered, altered)).toBe(false);
  });

  it('rejects a token whose signature was altered', async () => {
    const tampered = good.slice();
    tampered[tampered.length - 1] ^= 0x01; // last octet of the ECDSA signature value
    const result = verifyTimeStampResponse(tampered, { caCertPem: a.caCertPem, sha256: SHA256 });
    expect(failed(result)).toEqual(['signature']);
    expect(await opensslAccepts(tampered, SHA256)).toBe(false);
  });

  it('rejects a token signed under another CA', async () => {
    const foreign = (await tsaB.timeStampSha256(SHA256)).response;
    const result = verifyTimeStampResponse(foreign, { caCertPem: a.caCertPem, sha256: SHA256 });
    expect(failed(result)).toEqual(['certificate-chain']);
    expect(result.checks.find((c) => c.name === 'certificate-chain')!.detail).toContain('not signed by the given CA');
    expect(await opensslAccepts(foreign, SHA256)).toBe(false);
    // ...and accepts it against its own CA.
    expect(verifyTimeStampResponse(foreign, { caCertPem: b.caCertPem, sha256: SHA256 }).ok).toBe(true);
  });

  it('needs the TSA certificate for tokens issued without certReq', async () => {
    const bare = await tsaA.issue(createTimeStampRequest({ sha256: SHA256 }));
    const without = verifyTimeStampResponse(bare, { caCertPem: a.caCertPem, sha256: SHA256 });
    expect(without.ok).toBe(false);
    expect(failed(without)).toEqual(['signer-certificate']);
    expect(verifyTimeStampResponse(bare, { caCertPem: a.caCertPem, tsaCertPem: a.tsaCertPem, sha256: SHA256 }).ok).toBe(true);
    const wrongCert = verifyTimeStampResponse(bare, { caCertPem: a.caCertPem, tsaCertPem: b.tsaCertPem, sha256: SHA256 });
    expect(failed(wrongCert)).toEqual(['signer-certificate']);
  });

  it('reports a rejection response through the status check', async () => {
    const rejected = await tsaA.issue(Uint8Array.of(0x30, 0x00));
    const result = verifyTimeStampResponse(rejected, { caCertPem: a.caCertPem, sha256: SHA256 });
    expect(result.ok).toBe(false);
    expect(failed(result)).toEqual(['status']);
    expect(result.checks.at(-1)!.detail).toMatch(/^status rejection \(badRequest\)/);
    expect(result.genTime).toBeNull();
  });

  it('verifies non-SHA-256 tokens but never matches them to a SHA-256 digest', async () => {
    const sha512 = new Uint8Array(createHash('sha512').update('registered work #1').digest());
    const response = await tsaA.issue({
      version: 1,
      hashAlgorithm: 'SHA-512',
      hashAlgorithmOid: '2.16.840.1.101.3.4.2.3',
      hashAlgorithmNullParams: false,
      hashedMessage: sha512,
      certReq: true,
    });
    const plain = verifyTimeStampResponse(response, { caCertPem: a.caCertPem });
    expect(plain.ok).toBe(true);
    expect(plain.hashAlgorithm).toBe('SHA-512');
    expect(plain.checks.map((c) => c.name)).not.toContain('imprint');
    expect(failed(verifyTimeStampResponse(response, { caCertPem: a.caCertPem, sha256: sha512.subarray(0, 32) }))).toEqual(['imprint']);
  });

  it('verifies a bare TimeStampToken', async () => {
    const stamp = await tsaA.timeStampSha256(SHA256);
    expect(verifyTimeStampToken(stamp.token, { caCertPem: a.caCertPem, sha256: SHA256 }).ok).toBe(true);
    expect(verifyTimeStampToken(stamp.response, { caCertPem: a.caCertPem, sha256: SHA256 }).ok).toBe(false);
  });

  it('reports an unusable CA certificate as a failed chain check', () => {
    const result = verifyTimeStampResponse(good, { caCertPem: 'nonsense', sha256: SHA256 });
    expect(failed(result)).toEqual(['certificate-chain']);
    const notCa = verifyTimeStampResponse(good, { caCertPem: a.tsaCertPem, sha256: SHA256 });
    expect(failed(notCa)).toEqual(['certificate-chain']);
  });

  it('fails a flipped low bit in every octet except the unauthenticated status value', () => {
    const statusValueOffset = 6 + 2; // TimeStampResp header (4) + PKIStatusInfo header (2) + INTEGER header (2)
    expect(good[statusValueOffset]).toBe(0);
    const accepted: number[] = [];
    for (let i = 0; i < good.length; i++) {
      const flipped = good.slice();
      flipped[i] ^= 0x01;
      if (verifyTimeStampResponse(flipped, { caCertPem: a.caCertPem, sha256: SHA256 }).ok) accepted.push(i);
    }
    // Flipping status 0 -> 1 yields grantedWithMods, which still legitimately carries the token.
    expect(accepted).toEqual([statusValueOffset]);
  }, 60_000);

  it('never throws and never accepts truncations or garbage', () => {
    for (let length = 0; length < good.length; length++) {
      expect(verifyTimeStampResponse(good.subarray(0, length), { caCertPem: a.caCertPem }).ok).toBe(false);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const result = verifyTimeStampResponse(bytes, { caCertPem: a.caCertPem, sha256: SHA256 });
        return result.ok === false && result.checks.some((c) => !c.ok);
      }),
      { numRuns: 300 },
    );
    // Garbage that still parses as DER.
    const derGarbage = asn1js.Sequence.prototype.toBER.call(new asn1js.Sequence({ value: [new asn1js.Sequence(), new asn1js.Null()] }));
    expect(verifyTimeStampResponse(new Uint8Array(derGarbage), { caCertPem: a.caCertPem }).ok).toBe(false);
    expect(verifyTimeStampResponse('not bytes' as unknown as Uint8Array, { caCertPem: a.caCertPem }).ok).toBe(false);
  });
});
