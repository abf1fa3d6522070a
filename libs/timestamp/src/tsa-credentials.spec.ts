// Credentials are judged by OpenSSL: the certificates must read as a CA plus a
// time-stamping certificate that passes openssl's "timestampsign" purpose.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OID } from './asn1-oids.js';
import { openssl, scratchDir, type ScratchDir } from './openssl-cli.testing.js';
import { generateTsaCredentials, loadTsaCredentials, TsaCredentialsError, type GeneratedTsaCredentials } from './tsa-credentials.js';

describe('generateTsaCredentials', () => {
  let creds: GeneratedTsaCredentials;
  let dir: ScratchDir;

  beforeAll(async () => {
    creds = await generateTsaCredentials('Acme Ledger', { now: new Date('2026-03-01T12:00:00Z') });
    dir = await scratchDir();
    await dir.write('ca.pem', creds.caCertPem);
    await dir.write('tsa.pem', creds.tsaCertPem);
  });
  afterAll(() => dir.remove());

  it('issues a TSA certificate OpenSSL accepts for the timestampsign purpose under the CA', async () => {
    const result = await openssl(dir.path, ['verify', '-CAfile', 'ca.pem', '-purpose', 'timestampsign', '-attime', '1780000000', 'tsa.pem']);
    expect(result.stdout).toContain('tsa.pem: OK');
    expect(result.code).toBe(0);
  });

  it('marks extendedKeyUsage timeStamping critical and limits keyUsage to signing', async () => {
    const { stdout } = await openssl(dir.path, ['x509', '-in', 'tsa.pem', '-noout', '-text']);
    expect(stdout).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping\n/);
    expect(stdout).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(stdout).toContain('Subject: CN = Acme Ledger TSA');
    expect(stdout).toContain('Issuer: CN = Acme Ledger Time-Stamping CA');
    expect(stdout).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(stdout).toContain('NIST CURVE: P-256');
  });

  it('makes the CA a self-signed CA certificate', async () => {
    const { stdout } = await openssl(dir.path, ['x509', '-in', 'ca.pem', '-noout', '-text']);
    expect(stdout).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(stdout).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const ca = new X509Certificate(creds.caCertPem);
    expect(ca.subject).toBe(ca.issuer);
    expect(ca.verify(ca.publicKey)).toBe(true);
  });

  it('is valid for ten years from (slightly before) the given time', () => {
    const tsa = new X509Certificate(creds.tsaCertPem);
    expect(new Date(tsa.validFrom).toISOString()).toBe('2026-03-01T11:55:00.000Z');
    expect(new Date(tsa.validTo).toISOString()).toBe('2036-03-01T12:00:00.000Z');
  });

  it('returns PKCS#8 keys and random, distinct serial numbers', async () => {
    expect(creds.tsaKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(creds.caKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const other = await generateTsaCredentials('Acme Ledger');
    const serials = [creds.caCertPem, creds.tsaCertPem, other.caCertPem, other.tsaCertPem].map(
      (pem) => new X509Certificate(pem).serialNumber,
    );
    expect(new Set(serials).size).toBe(4);
    // 128 random bits: fewer than 24 hex digits would mean the top 36 bits were all zero.
    for (const serial of serials) expect(serial.length).toBeGreaterThanOrEqual(24);
  });

  it('rejects names that are empty or too long for a common name', async () => {
    await expect(generateTsaCredentials('  ')).rejects.toThrow(RangeError);
    await expect(generateTsaCredentials('x'.repeat(48))).rejects.toThrow(/at most 47/);
  });
});

describe('loadTsaCredentials', () => {
  let a: GeneratedTsaCredentials;
  let b: GeneratedTsaCredentials;

  beforeAll(async () => {
    [a, b] = await Promise.all([generateTsaCredentials('A'), generateTsaCredentials('B')]);
  });

  it('loads generated PEMs and derives the signing algorithm from the key', () => {
    const loaded = loadTsaCredentials(a);
    expect(loaded.signingAlgorithm.signatureOid).toBe(OID.ecdsaWithSha256);
    expect(loaded.tsaCert.subject).toBe('CN=A TSA');
    expect(loaded.tsaCertDer).toEqual(new Uint8Array(new X509Certificate(a.tsaCertPem).raw));
    expect(loaded.notAfter.getTime()).toBeGreaterThan(Date.now() + 9 * 365 * 86_400_000);
  });

  it('refuses a key that belongs to another certificate', () => {
    expect(() => loadTsaCredentials({ ...a, tsaKeyPem: b.tsaKeyPem })).toThrow(/does not match the TSA certificate/);
  });

  it('refuses a TSA certificate issued by a different CA', () => {
    expect(() => loadTsaCredentials({ ...a, caCertPem: b.caCertPem })).toThrow(/not issued by the CA/);
  });

  it('refuses the CA certificate in the TSA role', () => {
    expect(() => loadTsaCredentials({ caCertPem: a.caCertPem, tsaCertPem: a.caCertPem, tsaKeyPem: a.caKeyPem })).toThrow(
      /must not be a CA certificate/,
    );
  });

  it('refuses unparsable PEM with a TsaCredentialsError naming the file role', () => {
    expect(() => loadTsaCredentials({ ...a, tsaCertPem: 'not a pem' })).toThrow(/^TSA certificate: /);
    expect(() => loadTsaCredentials({ ...a, tsaKeyPem: 'junk' })).toThrow(TsaCredentialsError);
  });

  it('refuses a CA-issued certificate whose timeStamping EKU is not critical', async () => {
    const dir = await scratchDir();
    try {
      await dir.write('ca.pem', a.caCertPem);
      await dir.write('ca.key', a.caKeyPem);
      await dir.write('tsa.key', a.tsaKeyPem);
      await dir.write('ext.cnf', 'extendedKeyUsage = timeStamping\nkeyUsage = critical, digitalSignature\n');
      const csr = await openssl(dir.path, ['req', '-new', '-key', 'tsa.key', '-subj', '/CN=lax', '-out', 'lax.csr']);
      expect(csr.code).toBe(0);
      const signed = await openssl(dir.path, [
        'x509', '-req', '-in', 'lax.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '7',
        '-days', '30', '-extfile', 'ext.cnf', '-out', 'lax.pem',
      ]);
      expect(signed.code).toBe(0);
      const laxPem = await readFile(dir.file('lax.pem'), 'utf8');
      expect(() => loadTsaCredentials({ caCertPem: a.caCertPem, tsaCertPem: laxPem, tsaKeyPem: a.tsaKeyPem })).toThrow(
        /extendedKeyUsage is not marked critical/,
      );
    } finally {
      await dir.remove();
    }
  });
});
