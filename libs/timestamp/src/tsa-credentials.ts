// Key material of the time-stamp authority: generates a private CA plus a TSA
// signing certificate it issues, as PEM strings the caller persists, and loads
// them back with the consistency checks that catch a mixed-up data directory.
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  KeyObject,
  sign,
  X509Certificate,
} from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './asn1-oids.js';
import { namedBitString, toArrayBuffer, toBytes } from './der-encoding.js';
import { randomSerial } from './random-serial.js';
import { signingAlgorithmForKey, type SigningAlgorithm } from './signature-algorithms.js';
import { isCaCertificate, timeStampingProfileProblems } from './tsa-certificate-profile.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** What the caller stores (e.g. ca.pem, tsa.pem, tsa.key in the data directory). */
export interface TsaCredentialPems {
  caCertPem: string;
  tsaCertPem: string;
  /** PKCS#8 PEM, unencrypted: protect it with file permissions. */
  tsaKeyPem: string;
}

export interface GeneratedTsaCredentials extends TsaCredentialPems {
  /**
   * PKCS#8 PEM of the CA key. Not needed to issue or verify tokens; it only
   * matters for issuing a replacement TSA certificate later. Keep it offline
   * or discard it.
   */
  caKeyPem: string;
}

export interface GenerateTsaCredentialsOptions {
  /** Certificate lifetime in years (default 10). */
  validityYears?: number;
  /** Clock for notBefore/notAfter (tests). */
  now?: Date;
}

/** Loaded, cross-checked credentials ready for TimeStampAuthority. */
export interface TsaCredentials {
  readonly caCert: X509Certificate;
  readonly tsaCert: X509Certificate;
  /** DER of the TSA certificate, embedded in tokens and hashed for ESS signingCertificateV2. */
  readonly tsaCertDer: Uint8Array;
  /** Parsed TSA certificate (issuer name, serial) for SignerInfo and TSTInfo.tsa. */
  readonly tsaCertificate: pkijs.Certificate;
  readonly tsaKey: KeyObject;
  readonly signingAlgorithm: SigningAlgorithm;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export class TsaCredentialsError extends Error {
  override readonly name = 'TsaCredentialsError';
}

// ub-common-name (RFC 5280 appendix A) is 64 characters.
const MAX_COMMON_NAME = 64;
const CA_SUFFIX = ' Time-Stamping CA';
const TSA_SUFFIX = ' TSA';
// Backdating notBefore tolerates verifiers whose clocks run a little behind.
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function commonNameOnly(commonName: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: commonName }) }),
    ],
  });
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, whole seconds only. */
function x509Time(date: Date): pkijs.Time {
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const type = whole.getUTCFullYear() < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime;
  return new pkijs.Time({ type, value: whole });
}

function extension(extnID: string, critical: boolean, value: ArrayBuffer | Uint8Array): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: toArrayBuffer(toBytes(value)) });
}

function publicKeyInfo(key: KeyObject): pkijs.PublicKeyInfo {
  const spki = key.export({ type: 'spki', format: 'der' });
  return pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spki));
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits; an identifier, not a security control. */
function keyIdentifier(spki: pkijs.PublicKeyInfo): Uint8Array {
  return createHash('sha1').update(spki.subjectPublicKey.valueBlock.valueHexView).digest();
}

function algorithmIdentifier(algorithm: SigningAlgorithm): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: algorithm.signatureOid,
    ...(algorithm.nullParameters ? { algorithmParams: new asn1js.Null() } : {}),
  });
}

interface CertificateSpec {
  issuer: pkijs.RelativeDistinguishedNames;
  subject: pkijs.RelativeDistinguishedNames;
  subjectKey: KeyObject;
  signerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: (spki: pkijs.PublicKeyInfo) => pkijs.Extension[];
}

/** Builds the TBSCertificate with pkijs and signs it natively with node:crypto. */
function issueCertificate(spec: CertificateSpec): X509Certificate {
  const algorithm = signingAlgorithmForKey(spec.signerKey);
  const spki = publicKeyInfo(spec.subjectKey);
  const cert = new pkijs.Certificate({
    version: 2, // X.509 v3
    serialNumber: asn1js.Integer.fromBigInt(randomSerial(128)),
    signature: algorithmIdentifier(algorithm),
    issuer: spec.issuer,
    subject: spec.subject,
    notBefore: x509Time(spec.notBefore),
    notAfter: x509Time(spec.notAfter),
    subjectPublicKeyInfo: spki,
    extensions: spec.extensions(spki),
  });
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  cert.tbsView = tbs;
  cert.signatureAlgorithm = algorithmIdentifier(algorithm);
  cert.signatureValue = new asn1js.BitString({ valueHex: sign(algorithm.nodeHash, tbs, spec.signerKey) });
  // Round-trip through OpenSSL's parser: a structure it cannot read fails here, not in production.
  return new X509Certificate(Buffer.from(cert.toSchema().toBER()));
}

/**
 * Creates a self-signed CA ("<name> Time-Stamping CA") and a TSA certificate
 * ("<name> TSA") issued by it, both ECDSA P-256 / SHA-256. ECDSA is chosen
 * over RSA because `openssl ts -verify` accepts it and signing is ~50x faster.
 */
export async function generateTsaCredentials(
  name: string,
  options: GenerateTsaCredentialsOptions = {},
): Promise<GeneratedTsaCredentials> {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new RangeError('TSA name must not be empty');
  if (trimmed.length + CA_SUFFIX.length > MAX_COMMON_NAME) {
    throw new RangeError(`TSA name must be at most ${MAX_COMMON_NAME - CA_SUFFIX.length} characters`);
  }
  const validityYears = options.validityYears ?? 10;
  if (!Number.isInteger(validityYears) || validityYears < 1 || validityYears > 50) {
    throw new RangeError('validityYears must be an integer between 1 and 50');
  }
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + validityYears);

  const [ca, tsa] = await Promise.all([
    generateKeyPairAsync('ec', { namedCurve: 'P-256' }),
    generateKeyPairAsync('ec', { namedCurve: 'P-256' }),
  ]);
  const caName = commonNameOnly(trimmed + CA_SUFFIX);
  let caKeyId: Uint8Array = new Uint8Array();

  const caCert = issueCertificate({
    issuer: caName,
    subject: caName,
    subjectKey: ca.publicKey,
    signerKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: (spki) => {
      caKeyId = keyIdentifier(spki);
      return [
        // pathLen 0: this CA only ever issues the TSA end-entity certificate.
        extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema().toBER()),
        extension(OID.keyUsage, true, namedBitString([5, 6])), // keyCertSign, cRLSign
        extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: caKeyId }).toBER()),
      ];
    },
  });

  const tsaCert = issueCertificate({
    issuer: caName,
    subject: commonNameOnly(trimmed + TSA_SUFFIX),
    subjectKey: tsa.publicKey,
    signerKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: (spki) => [
      extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: false }).toSchema().toBER()),
      extension(OID.keyUsage, true, namedBitString([0, 1])), // digitalSignature, nonRepudiation
      // RFC 3161 2.3: exactly one purpose, id-kp-timeStamping, and the extension MUST be critical.
      extension(OID.extKeyUsage, true, new pkijs.ExtKeyUsage({ keyPurposes: [OID.kpTimeStamping] }).toSchema().toBER()),
      extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyIdentifier(spki) }).toBER()),
      extension(
        OID.authorityKeyIdentifier,
        false,
        new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: caKeyId }) }).toSchema().toBER(),
      ),
    ],
  });

  return {
    caCertPem: caCert.toString(),
    tsaCertPem: tsaCert.toString(),
    tsaKeyPem: tsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    caKeyPem: ca.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function attempt<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new TsaCredentialsError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Parses persisted PEMs and refuses combinations that would produce tokens
 * nobody can verify: a key that does not belong to the certificate, a TSA
 * certificate not issued by the CA, or one lacking the time-stamping profile.
 */
export function loadTsaCredentials(pems: TsaCredentialPems): TsaCredentials {
  const caCert = attempt('CA certificate', () => new X509Certificate(pems.caCertPem));
  const tsaCert = attempt('TSA certificate', () => new X509Certificate(pems.tsaCertPem));
  const tsaKey = attempt('TSA private key', () => createPrivateKey(pems.tsaKeyPem));
  const signingAlgorithm = attempt('TSA private key', () => signingAlgorithmForKey(tsaKey));

  if (!tsaCert.checkPrivateKey(tsaKey)) {
    throw new TsaCredentialsError('TSA private key does not match the TSA certificate');
  }
  if (!caCert.ca) throw new TsaCredentialsError('CA certificate is not a CA (basicConstraints cA is not set)');
  if (!tsaCert.checkIssued(caCert) || !tsaCert.verify(caCert.publicKey)) {
    throw new TsaCredentialsError('TSA certificate was not issued by the CA certificate');
  }
  const tsaCertDer = new Uint8Array(tsaCert.raw);
  const tsaCertificate = attempt('TSA certificate', () => pkijs.Certificate.fromBER(toArrayBuffer(tsaCertDer)));
  if (isCaCertificate(tsaCertificate)) throw new TsaCredentialsError('TSA certificate must not be a CA certificate');
  const problems = timeStampingProfileProblems(tsaCertificate);
  if (problems.length > 0) {
    throw new TsaCredentialsError(`TSA certificate is not a time-stamping certificate: ${problems.join('; ')}`);
  }
  return {
    caCert,
    tsaCert,
    tsaCertDer,
    tsaCertificate,
    tsaKey,
    signingAlgorithm,
    notBefore: tsaCertificate.notBefore.value,
    notAfter: tsaCertificate.notAfter.value,
  };
}
