// The authority is judged by `openssl ts`: its responses must verify with
// OpenSSL against the CA, echo the nonce, and its rejections must carry the
// failure bits OpenSSL names.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as asn1js from 'asn1js';
import { DEFAULT_TSA_POLICY_OID, OID } from './asn1-oids.js';
import { algorithmIdentifier, bitsOf, contextConstructed, DER_NULL, integer, octetString, oid, sequence } from './der-encoding.js';
import { openssl, opensslHex, scratchDir, type ScratchDir } from './openssl-cli.testing.js';
import { PKI_FAILURE_INFO_BITS } from './pki-status.js';
import { TimeStampAuthority, TimeStampIssueError } from './time-stamp-authority.js';
import { createTimeStampRequest } from './time-stamp-request.js';
import { generateTsaCredentials, loadTsaCredentials, type GeneratedTsaCredentials, type TsaCredentials } from './tsa-credentials.js';
import { verifyTimeStampResponse } from './time-stamp-verifier.js';

const DATA = 'The Raven, first draft\n';
const OTHER = 'The Raven, second draft\n';
const SHA256 = createHash('sha256').update(DATA).digest();

/** status and failInfo bits of a DER TimeStampResp, read independently of the library's verifier. */
function statusOf(der: Uint8Array): { status: number; failBits: number[]; hasToken: boolean } {
  const root = asn1js.fromBER(der).result as asn1js.Sequence;
  const statusInfo = root.valueBlock.value[0] as asn1js.Sequence;
  const [status, ...rest] = statusInfo.valueBlock.value;
  const failInfo = rest.find((n) => n instanceof asn1js.BitString);
  return {
    status: Number((status as asn1js.Integer).toBigInt()),
    failBits: failInfo ? bitsOf(failInfo) : [],
    hasToken: root.valueBlock.value.length === 2,
  };
}

describe('TimeStampAuthority with openssl ts', () => {
  let pems: GeneratedTsaCredentials;
  let credentials: TsaCredentials;
  let tsa: TimeStampAuthority;
  let dir: ScratchDir;

  async function tsVerify(response: Uint8Array, ...extra: string[]) {
    await dir.write('resp.der', response);
    return openssl(dir.path, ['ts', '-verify', '-in', 'resp.der', '-CAfile', 'ca.pem', ...extra]);
  }
  async function replyText(response: Uint8Array): Promise<string> {
    await dir.write('reply.der', response);
    const { stdout, code } = await openssl(dir.path, ['ts', '-reply', '-in', 'reply.der', '-text']);
    expect(code).toBe(0);
    return stdout;
  }

  beforeAll(async () => {
    pems = await generateTsaCredentials('Ledger Test');
    credentials = loadTsaCredentials(pems);
    tsa = new TimeStampAuthority(credentials);
    dir = await scratchDir();
    await dir.write('ca.pem', pems.caCertPem);
    await dir.write('tsa.pem', pems.tsaCertPem);
    await dir.write('data.txt', DATA);
    await dir.write('other.txt', OTHER);
  });
  afterAll(() => dir.remove());

  it('issues a token that openssl ts -verify accepts for the data, and refuses for other data', async () => {
    const response = await tsa.issue(createTimeStampRequest({ sha256: SHA256, nonce: 42n, certReq: true }));
    const good = await tsVerify(response, '-data', 'data.txt', '-untrusted', 'tsa.pem');
    expect(good.stdout).toContain('Verification: OK');
    expect(good.code).toBe(0);

    const bad = await tsVerify(response, '-data', 'other.txt', '-untrusted', 'tsa.pem');
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain('Verification: FAILED');
    expect(bad.stderr).toContain('message imprint mismatch');
  });

  it('echoes the nonce and reports policy, TSA name and millisecond genTime', async () => {
    // Next year, so the instant lies inside the freshly generated certificate's validity.
    const year = new Date().getUTCFullYear() + 1;
    const clocked = new TimeStampAuthority(credentials, { clock: () => new Date(Date.UTC(year, 0, 2, 3, 4, 5, 120)) });
    const response = await clocked.issue(createTimeStampRequest({ sha256: SHA256, nonce: 0x1234567890abcdefn }));
    const text = await replyText(response);
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Nonce: 0x1234567890ABCDEF');
    expect(text).toContain(`Policy OID: ${DEFAULT_TSA_POLICY_OID}`);
    expect(text).toContain('TSA: DirName:/CN=Ledger Test TSA');
    expect(text).toContain(`Time stamp: Jan  2 03:04:05.12 ${year} GMT`);
    expect(text).toContain('Ordering: no');
    expect(text).toContain('Accuracy: unspecified');
  });

  it('answers a request written by openssl ts -query (round trip with -queryfile)', async () => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-sha256', '-cert', '-out', 'req.tsq']);
    expect(q.code).toBe(0);
    const response = await tsa.issue(await readFile(dir.file('req.tsq')));
    // -queryfile checks imprint and nonce against the request; the certificate comes from the token.
    const viaQuery = await tsVerify(response, '-queryfile', 'req.tsq');
    expect(viaQuery.stdout).toContain('Verification: OK');
    const viaData = await tsVerify(response, '-data', 'data.txt');
    expect(viaData.code).toBe(0);
  });

  it.each(['-sha384', '-sha512'])('accepts %s requests and openssl verifies the result', async (flag) => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', flag, '-cert', '-out', 'big.tsq']);
    expect(q.code).toBe(0);
    const response = await tsa.issue(await readFile(dir.file('big.tsq')));
    expect(statusOf(response).status).toBe(0);
    const verified = await tsVerify(response, '-queryfile', 'big.tsq');
    expect(verified.stdout).toContain('Verification: OK');
  });

  it('omits the certificate without certReq, so openssl then needs -untrusted', async () => {
    const response = await tsa.issue(createTimeStampRequest({ sha256: SHA256 }));
    const withCert = await tsVerify(response, '-data', 'data.txt', '-untrusted', 'tsa.pem');
    expect(withCert.code).toBe(0);
    const withoutCert = await tsVerify(response, '-data', 'data.txt');
    expect(withoutCert.code).not.toBe(0);
    expect(response.length).toBeLessThan((await tsa.issue(createTimeStampRequest({ sha256: SHA256, certReq: true }))).length - 300);
  });

  it('writes canonical DER: openssl re-encodes the response byte for byte', async () => {
    const response = await tsa.issue(createTimeStampRequest({ sha256: SHA256, nonce: 7n, certReq: true }));
    await dir.write('canon.der', response);
    const re = await openssl(dir.path, ['ts', '-reply', '-in', 'canon.der', '-out', 'canon-re.der']);
    expect(re.code).toBe(0);
    expect(new Uint8Array(await readFile(dir.file('canon-re.der')))).toEqual(response);
  });

  it('rejects SHA-1 requests with badAlg', async () => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-sha1', '-cert', '-out', 'sha1.tsq']);
    expect(q.code).toBe(0);
    const response = await tsa.issue(await readFile(dir.file('sha1.tsq')));
    expect(statusOf(response)).toEqual({ status: 2, failBits: [PKI_FAILURE_INFO_BITS.badAlg], hasToken: false });
    const text = await replyText(response);
    expect(text).toContain('Status: Rejected.');
    expect(text).toContain('unrecognized or unsupported algorithm identifier');
    expect(text).toMatch(/Status description: .*SHA-1/);
  });

  it('rejects MD5 requests with badAlg', async () => {
    const q = await openssl(dir.path, ['ts', '-query', '-data', 'data.txt', '-md5', '-out', 'md5.tsq']);
    expect(q.code).toBe(0);
    expect(statusOf(await tsa.issue(await readFile(dir.file('md5.tsq')))).failBits).toEqual([PKI_FAILURE_INFO_BITS.badAlg]);
  });

  it('rejects garbage bytes with badRequest instead of throwing', async () => {
    const response = await tsa.issue(Uint8Array.from('definitely not DER', (c) => c.charCodeAt(0)));
    expect(statusOf(response)).toEqual({ status: 2, failBits: [PKI_FAILURE_INFO_BITS.badRequest], hasToken: false });
    expect(await replyText(response)).toContain('transaction not permitted or supported');
  });

  it('rejects a digest of the wrong length with badDataFormat', async () => {
    const der = sequence(integer(1), sequence(algorithmIdentifier(OID.sha256, DER_NULL), octetString(new Uint8Array(20))));
    const response = await tsa.issue(der);
    expect(statusOf(response).failBits).toEqual([PKI_FAILURE_INFO_BITS.badDataFormat]);
    expect(await replyText(response)).toContain('the data submitted has the wrong format');
  });

  it('rejects another policy with unacceptedPolicy but serves its own', async () => {
    const other = await tsa.issue(createTimeStampRequest({ sha256: SHA256, reqPolicy: '1.2.3.4' }));
    expect(statusOf(other).failBits).toEqual([PKI_FAILURE_INFO_BITS.unacceptedPolicy]);
    const own = await tsa.issue(createTimeStampRequest({ sha256: SHA256, reqPolicy: DEFAULT_TSA_POLICY_OID }));
    expect(statusOf(own).status).toBe(0);
  });

  it('issues under a configured policy and refuses a policy that is not an OID', async () => {
    const custom = new TimeStampAuthority(credentials, { policy: '1.3.6.1.4.1.32473.77.1' });
    const response = await custom.issue(createTimeStampRequest({ sha256: SHA256, reqPolicy: '1.3.6.1.4.1.32473.77.1' }));
    expect(await replyText(response)).toContain('Policy OID: 1.3.6.1.4.1.32473.77.1');
    expect(() => new TimeStampAuthority(credentials, { policy: 'tsa-policy-1' })).toThrow(RangeError);
  });

  it('re-checks pre-parsed requests instead of signing a bad imprint', async () => {
    const result = await tsa.issueDetailed({
      version: 1,
      hashAlgorithm: 'SHA-256',
      hashAlgorithmOid: OID.sha256,
      hashAlgorithmNullParams: true,
      hashedMessage: new Uint8Array(31),
      certReq: false,
    });
    expect(result.status).toBe('rejection');
    expect(result.status === 'rejection' && result.failInfo).toBe('badDataFormat');
    expect(statusOf(result.response).failBits).toEqual([PKI_FAILURE_INFO_BITS.badDataFormat]);
  });

  it('rejects request extensions with unacceptedExtension', async () => {
    const ext = sequence(oid('1.2.3.4'), octetString(DER_NULL));
    const der = sequence(integer(1), sequence(algorithmIdentifier(OID.sha256, DER_NULL), octetString(SHA256)), contextConstructed(0, ext));
    expect(statusOf(await tsa.issue(der)).failBits).toEqual([PKI_FAILURE_INFO_BITS.unacceptedExtension]);
  });

  it('gives every token a distinct serial number', async () => {
    const serials = new Set<bigint>();
    for (let i = 0; i < 200; i++) serials.add((await tsa.timeStampSha256(SHA256)).serialNumber);
    expect(serials.size).toBe(200);
  });

  it('uses a provided serial counter and declared accuracy', async () => {
    let next = 1000n;
    const counted = new TimeStampAuthority(credentials, { nextSerialNumber: () => next++, accuracy: { seconds: 1, millis: 500 } });
    await counted.timeStampSha256(SHA256);
    const second = await counted.timeStampSha256(SHA256);
    expect(second.serialNumber).toBe(1001n);
    const text = await replyText(second.response);
    expect(text).toContain('Serial number: 0x03E9');
    expect(text).toContain('Accuracy: 0x01 seconds, 0x01F4 millis, unspecified micros');
  });

  it('timeStampSha256 returns a response, token, genTime and serial that agree with openssl', async () => {
    const before = Date.now();
    const stamp = await tsa.timeStampSha256(SHA256);
    expect(stamp.genTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(stamp.genTime.getTime()).toBeLessThanOrEqual(Date.now());
    const hex = SHA256.toString('hex');
    const viaDigest = await tsVerify(stamp.response, '-digest', hex);
    expect(viaDigest.stdout).toContain('Verification: OK');
    await dir.write('token.der', stamp.token);
    const viaToken = await openssl(dir.path, ['ts', '-verify', '-token_in', '-in', 'token.der', '-digest', hex, '-CAfile', 'ca.pem']);
    expect(viaToken.code).toBe(0);
    expect(await replyText(stamp.response)).toContain(`Serial number: ${opensslHex(stamp.serialNumber)}`);
    const verified = verifyTimeStampResponse(stamp.response, { caCertPem: pems.caCertPem, sha256: SHA256 });
    expect(verified.genTime).toEqual(stamp.genTime);
    expect(verified.serialNumber).toBe(stamp.serialNumber);
  });

  it('refuses to stamp outside the TSA certificate validity (systemFailure)', async () => {
    const late = new TimeStampAuthority(credentials, { clock: () => new Date(Date.UTC(2100, 0, 1)) });
    const response = await late.issue(createTimeStampRequest({ sha256: SHA256 }));
    expect(statusOf(response).failBits).toEqual([PKI_FAILURE_INFO_BITS.systemFailure]);
    await expect(late.timeStampSha256(SHA256)).rejects.toThrow(TimeStampIssueError);
    await expect(tsa.timeStampSha256(SHA256.subarray(1))).rejects.toThrow(RangeError);
  });
});
