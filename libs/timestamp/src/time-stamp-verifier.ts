// Offline verification of RFC 3161 time-stamp responses against a trusted CA
// certificate: every step is reported as a named check so the project's
// `verify` command can show exactly what held and what did not. Never throws.
//
// The CMS layers are read by walking the asn1js tree directly instead of via
// pkijs.SignedData: pkijs re-parses embedded certificates through its schema
// engine on every call, which made verification ~5x slower, and the walk also
// gives precise error messages. Certificates are parsed once and cached.
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { hashAlgorithmByOid, OID, WEAK_HASH_NAMES } from './asn1-oids.js';
import { assertDerFraming, bytesEqual, parseDer, toArrayBuffer, toBytes, toHex } from './der-encoding.js';
import { failureInfoNames, PKI_STATUS, pkiStatusName } from './pki-status.js';
import { verificationHash } from './signature-algorithms.js';
import { isCaCertificate, timeStampingProfileProblems } from './tsa-certificate-profile.js';

export interface VerifyTimeStampOptions {
  /** Trust anchor: the CA that issued the TSA certificate. */
  caCertPem: string;
  /**
   * TSA certificate, needed when the token was issued without certReq. It is
   * an extra candidate for the signer, not a pin: a token signed by another
   * certificate of the same CA (e.g. before a key rotation) still verifies.
   */
  tsaCertPem?: string;
  /** Expected SHA-256 of the time-stamped data; when absent the imprint is reported but not compared. */
  sha256?: Uint8Array;
  /** Expected nonce, when the caller sent one. */
  nonce?: bigint;
}

export interface VerificationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface TimeStampVerification {
  /** True only when every check that ran passed. */
  ok: boolean;
  checks: VerificationCheck[];
  genTime: Date | null;
  serialNumber: bigint | null;
  /** 'SHA-256' etc., or the raw OID for algorithms this library does not name. */
  hashAlgorithm: string | null;
  imprint: Uint8Array | null;
  policy: string | null;
  nonce: bigint | null;
  /** Subject of the certificate that signed the token, once identified. */
  tsaSubject: string | null;
}

// Real responses are a few KiB; the cap bounds work on hostile input.
const MAX_RESPONSE_BYTES = 1 << 20;

type NodeHash = 'sha256' | 'sha384' | 'sha512';

/** Thrown internally to end verification early after recording a failed check. */
class StopVerification extends Error {}

/** A structural problem; converted into a failed check by the stage that hit it. */
class Malformed extends Error {}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Verification {
  readonly result: TimeStampVerification = {
    ok: false,
    checks: [],
    genTime: null,
    serialNumber: null,
    hashAlgorithm: null,
    imprint: null,
    policy: null,
    nonce: null,
    tsaSubject: null,
  };

  check(name: string, ok: boolean, detail: string): boolean {
    this.result.checks.push({ name, ok, detail });
    return ok;
  }

  /** Records a failure the remaining checks cannot proceed past. */
  fatal(name: string, detail: string): never {
    this.check(name, false, detail);
    throw new StopVerification(detail);
  }

  /** Runs a parsing step; a Malformed (or any) error becomes a fatal failure of `name`. */
  stage<T>(name: string, step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof StopVerification) throw error;
      this.fatal(name, message(error));
    }
  }

  finish(): TimeStampVerification {
    const { checks } = this.result;
    this.result.ok = checks.length > 0 && checks.every((c) => c.ok);
    return this.result;
  }
}

// --- asn1js tree helpers ------------------------------------------------------

type NodeClass<T> = abstract new (...args: never[]) => T;

function expectNode<T extends asn1js.AsnType>(node: asn1js.AsnType | undefined, type: NodeClass<T>, what: string): T {
  if (!(node instanceof type)) throw new Malformed(`${what} is missing or is not ${type.name}`);
  return node;
}

function isContext(node: asn1js.AsnType | undefined, tagNumber: number): node is asn1js.Constructed {
  return node instanceof asn1js.Constructed && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === tagNumber;
}

function children(node: asn1js.AsnType): asn1js.AsnType[] {
  return node instanceof asn1js.Constructed ? node.valueBlock.value : [];
}

function oidOf(node: asn1js.AsnType | undefined, what: string): string {
  return expectNode(node, asn1js.ObjectIdentifier, what).valueBlock.toString();
}

function integerValue(node: asn1js.AsnType | undefined, what: string): bigint {
  const value = expectNode(node, asn1js.Integer, what);
  if (value.valueBlock.valueHexView.length === 0) throw new Malformed(`${what} is an empty INTEGER`);
  return value.toBigInt();
}

function rawBytes(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.valueBeforeDecodeView);
}

// --- certificates ---------------------------------------------------------------

interface ParsedCertificate {
  der: Uint8Array;
  x509: X509Certificate;
  pkijs: pkijs.Certificate;
  issuerDer: Uint8Array;
  serial: bigint;
  subjectKeyId: Uint8Array | undefined;
}

// Verifying many tokens from one TSA sees the same two or three certificates
// over and over; parsing them once saves most of the per-token cost.
const CERT_CACHE_LIMIT = 64;
const certificateCache = new Map<string, ParsedCertificate>();

function parseCertificate(input: Uint8Array | string): ParsedCertificate {
  const key = typeof input === 'string' ? input : toHex(input);
  const cached = certificateCache.get(key);
  if (cached) return cached;
  const x509 = new X509Certificate(typeof input === 'string' ? input : Buffer.from(input));
  const der = new Uint8Array(x509.raw);
  const cert = pkijs.Certificate.fromBER(toArrayBuffer(der));
  const ski = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const skiValue = ski ? parseDer(ski.extnValue.valueBlock.valueHexView, 'subjectKeyIdentifier') : undefined;
  const parsed: ParsedCertificate = {
    der,
    x509,
    pkijs: cert,
    issuerDer: toBytes(cert.issuer.toSchema().toBER()),
    serial: cert.serialNumber.toBigInt(),
    subjectKeyId: skiValue instanceof asn1js.OctetString ? new Uint8Array(skiValue.valueBlock.valueHexView) : undefined,
  };
  if (certificateCache.size >= CERT_CACHE_LIMIT) {
    certificateCache.delete(certificateCache.keys().next().value!);
  }
  certificateCache.set(key, parsed);
  return parsed;
}

// --- entry points -----------------------------------------------------------------

/**
 * Verifies a DER TimeStampResp offline. Checks, in order: structure, status,
 * signed-data, tst-info, signer-certificate, message-digest, signature,
 * signing-certificate, certificate-chain, timestamping-eku, then imprint and
 * nonce when expected values are given.
 */
export function verifyTimeStampResponse(der: Uint8Array, options: VerifyTimeStampOptions): TimeStampVerification {
  const v: Verification = new Verification();
  try {
    const token = readResponse(v, der);
    verifyToken(v, token, options);
  } catch (error) {
    if (!(error instanceof StopVerification)) v.check('internal', false, `unexpected error: ${message(error)}`);
  }
  return v.finish();
}

/** Same checks for a bare DER TimeStampToken (ContentInfo), e.g. one extracted with `openssl ts -token_out`. */
export function verifyTimeStampToken(der: Uint8Array, options: VerifyTimeStampOptions): TimeStampVerification {
  const v: Verification = new Verification();
  try {
    const token = v.stage('structure', () => {
      if (!(der instanceof Uint8Array)) throw new Malformed('input is not a Uint8Array');
      assertDerFraming(der, 'TimeStampToken');
      return parseDer(der, 'TimeStampToken', MAX_RESPONSE_BYTES);
    });
    v.check('structure', true, 'TimeStampToken decoded');
    verifyToken(v, token, options);
  } catch (error) {
    if (!(error instanceof StopVerification)) v.check('internal', false, `unexpected error: ${message(error)}`);
  }
  return v.finish();
}

/** TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL } */
function readResponse(v: Verification, der: Uint8Array): asn1js.AsnType {
  const { statusInfo, token } = v.stage('structure', () => {
    if (!(der instanceof Uint8Array)) throw new Malformed('input is not a Uint8Array');
    if (der.length > MAX_RESPONSE_BYTES) throw new Malformed(`${der.length} bytes exceeds the ${MAX_RESPONSE_BYTES}-byte limit`);
    assertDerFraming(der, 'TimeStampResp');
    const root = expectNode(parseDer(der, 'TimeStampResp', MAX_RESPONSE_BYTES), asn1js.Sequence, 'TimeStampResp');
    const [statusNode, tokenNode, extra] = children(root);
    if (extra) throw new Malformed('TimeStampResp has unexpected trailing fields');
    return { statusInfo: expectNode(statusNode, asn1js.Sequence, 'PKIStatusInfo'), token: tokenNode };
  });
  v.check('structure', true, 'TimeStampResp decoded');

  // PKIStatusInfo ::= SEQUENCE { status INTEGER, statusString PKIFreeText OPTIONAL, failInfo BIT STRING OPTIONAL }
  const { status, text, failures } = v.stage('status', () => {
    const [statusNode, ...rest] = children(statusInfo);
    const status = integerValue(statusNode, 'PKIStatusInfo.status');
    const value = status >= 0n && status <= 255n ? Number(status) : -1;
    const freeText = rest.find((n) => n instanceof asn1js.Sequence);
    const failInfo = rest.find((n) => n instanceof asn1js.BitString);
    return {
      status: value,
      text: freeText ? children(freeText).map((s) => (s instanceof asn1js.Utf8String ? s.valueBlock.value : '?')).join('; ') : '',
      failures: failInfo instanceof asn1js.BitString ? failureInfoNames(failInfo).join(', ') : '',
    };
  });
  // grantedWithMods also carries a token (RFC 3161 2.4.2); openssl accepts both.
  if (status !== PKI_STATUS.granted && status !== PKI_STATUS.grantedWithMods) {
    v.fatal('status', `status ${pkiStatusName(status)}${failures ? ` (${failures})` : ''}${text ? `: ${text}` : ''}`);
  }
  if (!token) v.fatal('status', `status ${pkiStatusName(status)} but no timeStampToken`);
  v.check('status', true, pkiStatusName(status));
  return token;
}

interface SignedDataParts {
  eContent: Uint8Array;
  digestAlgorithms: string[];
  certificates: Uint8Array[];
  signerInfo: asn1js.Sequence;
}

/**
 * ContentInfo { contentType id-signedData, content [0] EXPLICIT SignedData }
 * SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
 *   certificates [0] IMPLICIT OPTIONAL, crls [1] IMPLICIT OPTIONAL, signerInfos SET }
 */
function readSignedData(tokenNode: asn1js.AsnType): SignedDataParts {
  const [contentType, content] = children(expectNode(tokenNode, asn1js.Sequence, 'ContentInfo'));
  const type = oidOf(contentType, 'ContentInfo.contentType');
  if (type !== OID.signedData) throw new Malformed(`content type ${type} is not SignedData`);
  if (!isContext(content, 0)) throw new Malformed('ContentInfo.content is missing');
  const fields = children(expectNode(children(content)[0], asn1js.Sequence, 'SignedData'));
  // v3 because eContentType is not id-data (RFC 5652 5.1); nothing else is a valid token.
  if (integerValue(fields[0], 'SignedData.version') !== 3n) throw new Malformed('SignedData.version is not 3');
  const digestAlgorithms = children(expectNode(fields[1], asn1js.Set, 'SignedData.digestAlgorithms')).map((n) =>
    oidOf(children(expectNode(n, asn1js.Sequence, 'digestAlgorithm'))[0], 'digestAlgorithm'),
  );

  const [encapType, encapContent] = children(expectNode(fields[2], asn1js.Sequence, 'encapContentInfo'));
  const eContentType = oidOf(encapType, 'eContentType');
  if (eContentType !== OID.tstInfo) throw new Malformed(`eContentType ${eContentType} is not id-ct-TSTInfo`);
  if (!isContext(encapContent, 0)) throw new Malformed('SignedData has no encapsulated TSTInfo');
  // getValue() also joins a BER constructed OCTET STRING.
  const eContent = new Uint8Array(expectNode(children(encapContent)[0], asn1js.OctetString, 'eContent').getValue());

  let index = 3;
  // Raw certificate bytes: the ESS check must hash exactly what the TSA hashed.
  const certificates = isContext(fields[index], 0) ? children(fields[index++]!).map(rawBytes) : [];
  if (isContext(fields[index], 1)) index++; // crls: not used for verification
  const signerInfos = children(expectNode(fields[index], asn1js.Set, 'signerInfos'));
  if (fields.length !== index + 1) throw new Malformed('SignedData has unexpected fields');
  // RFC 3161 2.4.2: the token carries the TSA's signature and no other.
  if (signerInfos.length !== 1) throw new Malformed(`expected exactly one SignerInfo, found ${signerInfos.length}`);
  return { eContent, certificates, digestAlgorithms, signerInfo: expectNode(signerInfos[0], asn1js.Sequence, 'SignerInfo') };
}

interface SignerInfoParts {
  sid: asn1js.AsnType;
  digestOid: string;
  /** DER of the signed attributes with the SET tag: the bytes that were signed (RFC 5652 5.4). */
  signedAttributes: Uint8Array | undefined;
  attributes: Map<string, asn1js.AsnType[][]>;
  signatureOid: string;
  signature: Uint8Array;
}

/**
 * SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
 *   signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
 */
function readSignerInfo(node: asn1js.Sequence): SignerInfoParts {
  const fields = children(node);
  const version = integerValue(fields[0], 'SignerInfo.version');
  const sid = fields[1];
  if (!sid) throw new Malformed('SignerInfo.sid is missing');
  // RFC 5652 5.3: v1 goes with issuerAndSerialNumber, v3 with subjectKeyIdentifier.
  if (version !== (sid instanceof asn1js.Sequence ? 1n : 3n)) throw new Malformed(`SignerInfo.version ${version} does not fit its sid`);
  const digestOid = oidOf(children(expectNode(fields[2], asn1js.Sequence, 'digestAlgorithm'))[0], 'digestAlgorithm');
  let index = 3;
  let signedAttributes: Uint8Array | undefined;
  const attributes = new Map<string, asn1js.AsnType[][]>();
  if (isContext(fields[index], 0)) {
    const attrsNode = fields[index++]!;
    signedAttributes = rawBytes(attrsNode);
    signedAttributes[0] = 0x31;
    for (const attribute of children(attrsNode)) {
      const [type, values] = children(expectNode(attribute, asn1js.Sequence, 'Attribute'));
      const oid = oidOf(type, 'Attribute.type');
      attributes.set(oid, [...(attributes.get(oid) ?? []), children(expectNode(values, asn1js.Set, 'Attribute.values'))]);
    }
  }
  const signatureOid = oidOf(children(expectNode(fields[index++], asn1js.Sequence, 'signatureAlgorithm'))[0], 'signatureAlgorithm');
  const signature = new Uint8Array(expectNode(fields[index], asn1js.OctetString, 'signature').getValue());
  return { sid, digestOid, signedAttributes, attributes, signatureOid, signature };
}

function verifyToken(v: Verification, tokenNode: asn1js.AsnType, options: VerifyTimeStampOptions): void {
  const signedData = v.stage('signed-data', () => readSignedData(tokenNode));
  const signerInfo = v.stage('signed-data', () => {
    const info = readSignerInfo(signedData.signerInfo);
    if (!signedData.digestAlgorithms.includes(info.digestOid)) {
      throw new Malformed('SignedData.digestAlgorithms does not list the signer digest algorithm');
    }
    return info;
  });
  v.check('signed-data', true, 'CMS SignedData with one signer over id-ct-TSTInfo');

  const tstInfo = v.stage('tst-info', () => new pkijs.TSTInfo({ schema: parseDer(signedData.eContent, 'TSTInfo') }));
  const r = v.result;
  const hashOid = tstInfo.messageImprint.hashAlgorithm.algorithmId;
  r.genTime = tstInfo.genTime;
  r.serialNumber = tstInfo.serialNumber.toBigInt();
  r.hashAlgorithm = hashAlgorithmByOid(hashOid)?.name ?? WEAK_HASH_NAMES[hashOid] ?? hashOid;
  r.imprint = new Uint8Array(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  r.policy = tstInfo.policy;
  r.nonce = tstInfo.nonce ? tstInfo.nonce.toBigInt() : null;
  if (tstInfo.version !== 1) v.fatal('tst-info', `TSTInfo version ${tstInfo.version} is not 1`);
  if (Number.isNaN(tstInfo.genTime.getTime())) v.fatal('tst-info', 'TSTInfo genTime is not a valid time');
  v.check('tst-info', true, `genTime ${tstInfo.genTime.toISOString()}, serial ${r.serialNumber.toString(16)}`);

  const signer = findSigner(v, signerInfo.sid, signedData.certificates, options.tsaCertPem);
  r.tsaSubject = signer.x509.subject;
  v.check('signer-certificate', true, `certificate ${oneLine(signer.x509.subject)}`);

  const digest = hashAlgorithmByOid(signerInfo.digestOid);
  if (!digest) {
    v.check('message-digest', false, `unsupported digestAlgorithm ${signerInfo.digestOid}`);
  } else if (!signerInfo.signedAttributes) {
    v.check('message-digest', false, 'SignerInfo has no signed attributes');
  } else {
    checkMessageDigest(v, signerInfo, signedData.eContent, digest.nodeName);
    checkSignature(v, signerInfo, signerInfo.signedAttributes, signer, digest.nodeName);
    checkSigningCertificate(v, signerInfo, signer);
  }

  checkChain(v, signer, options.caCertPem, tstInfo.genTime);
  const problems = timeStampingProfileProblems(signer.pkijs);
  v.check(
    'timestamping-eku',
    problems.length === 0,
    problems.length === 0 ? 'critical extendedKeyUsage id-kp-timeStamping' : problems.join('; '),
  );

  if (options.sha256 !== undefined) {
    const expected = options.sha256;
    const ok = hashOid === OID.sha256 && expected instanceof Uint8Array && bytesEqual(r.imprint, expected);
    const wanted = expected instanceof Uint8Array ? toHex(expected) : '(not a Uint8Array)';
    v.check('imprint', ok, ok ? `SHA-256 ${toHex(r.imprint)}` : `token covers ${r.hashAlgorithm} ${toHex(r.imprint)}, expected SHA-256 ${wanted}`);
  }
  if (options.nonce !== undefined) {
    v.check('nonce', r.nonce === options.nonce, r.nonce === null ? 'token has no nonce' : `token nonce 0x${r.nonce.toString(16)}`);
  }
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.replace(/\n/g, ', ');
}

function matchesSid(cert: ParsedCertificate, sid: asn1js.AsnType): boolean {
  // IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }
  if (sid instanceof asn1js.Sequence) {
    const [issuer, serial] = children(sid);
    return (
      issuer !== undefined &&
      serial instanceof asn1js.Integer &&
      bytesEqual(rawBytes(issuer), cert.issuerDer) &&
      serial.toBigInt() === cert.serial
    );
  }
  // subjectKeyIdentifier [0] IMPLICIT OCTET STRING (CMS v3 SignerInfo)
  if (sid.idBlock.tagClass === 3 && sid.idBlock.tagNumber === 0 && sid instanceof asn1js.Primitive) {
    return cert.subjectKeyId !== undefined && bytesEqual(new Uint8Array(sid.valueBlock.valueHexView), cert.subjectKeyId);
  }
  return false;
}

function findSigner(
  v: Verification,
  sid: asn1js.AsnType,
  embedded: readonly Uint8Array[],
  tsaCertPem: string | undefined,
): ParsedCertificate {
  const candidates: ParsedCertificate[] = [];
  if (tsaCertPem !== undefined) {
    candidates.push(v.stage('signer-certificate', () => parseCertificate(tsaCertPem)));
  }
  for (const der of embedded) {
    try {
      candidates.push(parseCertificate(der));
    } catch {
      // An unreadable extra certificate is not fatal; it just cannot be the signer.
    }
  }
  const found = candidates.find((c) => matchesSid(c, sid));
  if (!found) {
    v.fatal(
      'signer-certificate',
      candidates.length === 0
        ? 'token carries no certificate and no TSA certificate was given'
        : 'no available certificate matches the SignerInfo identifier',
    );
  }
  return found;
}

/** The single value of a signed attribute that must occur once with one value. */
function singleValue(info: SignerInfoParts, oid: string): asn1js.AsnType | undefined {
  const occurrences = info.attributes.get(oid);
  return occurrences?.length === 1 && occurrences[0]!.length === 1 ? occurrences[0]![0] : undefined;
}

function checkMessageDigest(v: Verification, info: SignerInfoParts, eContent: Uint8Array, hash: NodeHash): void {
  const contentType = singleValue(info, OID.contentTypeAttr);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID.tstInfo) {
    v.check('message-digest', false, 'contentType attribute is missing or is not id-ct-TSTInfo');
    return;
  }
  const md = singleValue(info, OID.messageDigestAttr);
  if (!(md instanceof asn1js.OctetString)) {
    v.check('message-digest', false, 'messageDigest attribute is missing or malformed');
    return;
  }
  const ok = bytesEqual(new Uint8Array(md.valueBlock.valueHexView), createHash(hash).update(eContent).digest());
  v.check('message-digest', ok, ok ? `${hash} of TSTInfo matches` : 'messageDigest attribute does not match the TSTInfo');
}

function checkSignature(v: Verification, info: SignerInfoParts, signedBytes: Uint8Array, signer: ParsedCertificate, digestHash: NodeHash): void {
  const hash = verificationHash(info.signatureOid, digestHash);
  if (!hash) {
    v.check('signature', false, `unsupported signature algorithm ${info.signatureOid}`);
    return;
  }
  let ok = false;
  try {
    ok = verifySignature(hash, signedBytes, signer.x509.publicKey, info.signature);
  } catch {
    ok = false; // e.g. a key type that does not fit the algorithm
  }
  v.check('signature', ok, ok ? `valid signature (${info.signatureOid}, ${hash}) by the TSA key` : 'signature does not verify with the TSA certificate');
}

function checkSigningCertificate(v: Verification, info: SignerInfoParts, signer: ParsedCertificate): void {
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
  // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL }
  // ESSCertID   ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial OPTIONAL }
  const v2 = singleValue(info, OID.signingCertificateV2);
  const value = v2 ?? singleValue(info, OID.signingCertificate);
  if (!value) {
    v.check('signing-certificate', false, 'no ESS signingCertificate or signingCertificateV2 attribute');
    return;
  }
  try {
    const certs = expectNode(children(expectNode(value, asn1js.Sequence, 'SigningCertificate'))[0], asn1js.Sequence, 'certs');
    const fields = [...children(expectNode(children(certs)[0], asn1js.Sequence, 'ESSCertID'))];
    let hash = v2 ? 'sha256' : 'sha1';
    if (v2 && fields[0] instanceof asn1js.Sequence) {
      const oid = oidOf(children(fields.shift()!)[0], 'ESSCertIDv2.hashAlgorithm');
      const info2 = hashAlgorithmByOid(oid);
      if (!info2) throw new Malformed(`unsupported ESSCertIDv2 hash ${oid}`);
      hash = info2.nodeName;
    }
    const certHash = expectNode(fields[0], asn1js.OctetString, 'certHash');
    if (!bytesEqual(new Uint8Array(certHash.valueBlock.valueHexView), createHash(hash).update(signer.der).digest())) {
      v.check('signing-certificate', false, 'ESS certHash does not match the signer certificate');
      return;
    }
    const issuerSerial = fields[1];
    if (issuerSerial instanceof asn1js.Sequence) {
      const serial = children(issuerSerial)[1];
      if (!(serial instanceof asn1js.Integer) || serial.toBigInt() !== signer.serial) {
        v.check('signing-certificate', false, 'ESS issuerSerial does not match the signer certificate');
        return;
      }
    }
    v.check('signing-certificate', true, `${v2 ? 'signingCertificateV2' : 'signingCertificate'} (${hash}) names the signer certificate`);
  } catch (error) {
    v.check('signing-certificate', false, `malformed ESS attribute: ${message(error)}`);
  }
}

function checkChain(v: Verification, signer: ParsedCertificate, caCertPem: string, genTime: Date): void {
  let ca: ParsedCertificate;
  try {
    ca = parseCertificate(caCertPem);
  } catch (error) {
    v.check('certificate-chain', false, `CA certificate does not parse: ${message(error)}`);
    return;
  }
  const problems: string[] = [];
  if (!ca.x509.ca || !isCaCertificate(ca.pkijs)) problems.push('trust anchor is not a CA certificate');
  let issued = false;
  try {
    issued = signer.x509.checkIssued(ca.x509) && signer.x509.verify(ca.x509.publicKey);
  } catch {
    issued = false;
  }
  if (!issued) problems.push('TSA certificate is not signed by the given CA');
  // Judged at genTime rather than now, so archived tokens stay verifiable
  // after the TSA certificate expires (openssl ts -verify checks "now").
  for (const [label, cert] of [['TSA', signer.pkijs], ['CA', ca.pkijs]] as const) {
    if (genTime < cert.notBefore.value || genTime > cert.notAfter.value) problems.push(`${label} certificate was not valid at genTime`);
  }
  v.check('certificate-chain', problems.length === 0, problems.length === 0 ? `issued by ${oneLine(ca.x509.subject)}` : problems.join('; '));
}
