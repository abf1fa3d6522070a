// The RFC 3161 time-stamp authority: turns a TimeStampReq into a signed
// TimeStampResp (CMS SignedData over a TSTInfo), or into a rejection response
// that says why. Signing is native (node:crypto); everything that is the same
// for every token is encoded once in the constructor.
import { createHash, sign } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import { DEFAULT_TSA_POLICY_OID, hashAlgorithmByOid, OID } from './asn1-oids.js';
import {
  algorithmIdentifier,
  contextConstructed,
  DER_NULL,
  generalizedTime,
  integer,
  octetString,
  oid,
  parseDer,
  sequence,
  setOf,
  utcTime,
} from './der-encoding.js';
import { encodeRejection, GRANTED_STATUS_INFO, type PkiFailureInfo } from './pki-status.js';
import { randomSerial } from './random-serial.js';
import {
  parseTimeStampRequest,
  TimeStampRequestError,
  type TimeStampRequest,
  type TimeStampRequestErrorCode,
} from './time-stamp-request.js';
import type { TsaCredentials } from './tsa-credentials.js';

export interface TimeStampAccuracy {
  seconds?: number;
  /** 1..999 */
  millis?: number;
  /** 1..999 */
  micros?: number;
}

export interface TimeStampAuthorityOptions {
  /** TSTInfo.policy; requests naming another reqPolicy are refused (unacceptedPolicy). */
  policy?: string;
  /** Declared accuracy of genTime; omitted from tokens when not given. */
  accuracy?: TimeStampAccuracy;
  /**
   * Source of TSTInfo.serialNumber (must return unique positive integers).
   * Default: random 128-bit, which needs no state to stay unique.
   */
  nextSerialNumber?: () => bigint;
  /** Source of genTime (tests). */
  clock?: () => Date;
  /** Put the TSA certificate's subject in TSTInfo.tsa as a hint (default true). */
  includeTsaName?: boolean;
}

export type IssueResult =
  | {
      status: 'granted';
      /** DER TimeStampResp. */
      response: Uint8Array;
      /** DER TimeStampToken (the ContentInfo inside the response). */
      token: Uint8Array;
      genTime: Date;
      serialNumber: bigint;
    }
  | {
      status: 'rejection';
      response: Uint8Array;
      failInfo: PkiFailureInfo;
      reason: string;
    };

export interface Sha256TimeStamp {
  response: Uint8Array;
  token: Uint8Array;
  genTime: Date;
  serialNumber: bigint;
}

export class TimeStampIssueError extends Error {
  override readonly name = 'TimeStampIssueError';
  constructor(
    readonly failInfo: PkiFailureInfo,
    message: string,
  ) {
    super(message);
  }
}

const FAIL_INFO_BY_REQUEST_ERROR: Readonly<Record<TimeStampRequestErrorCode, PkiFailureInfo>> = {
  malformed: 'badRequest',
  'unsupported-version': 'badRequest',
  'unsupported-hash-algorithm': 'badAlg',
  'bad-digest-length': 'badDataFormat',
  'unsupported-extension': 'unacceptedExtension',
};

const SIGNED_DATA_OID = oid(OID.signedData);
const TST_INFO_OID = oid(OID.tstInfo);
const VERSION_1 = integer(1);
const VERSION_3 = integer(3);
const CONTENT_TYPE_ATTRIBUTE = sequence(oid(OID.contentTypeAttr), setOf([TST_INFO_OID]));
const MESSAGE_DIGEST_ATTR_OID = oid(OID.messageDigestAttr);
const SIGNING_TIME_ATTR_OID = oid(OID.signingTimeAttr);

/** Raw DER of the TBSCertificate fields a token refers to, copied byte for byte. */
function certificateFields(certDer: Uint8Array): { serial: Uint8Array; issuer: Uint8Array; subject: Uint8Array } {
  const cert = parseDer(certDer, 'TSA certificate');
  const tbs = cert instanceof asn1js.Sequence ? cert.valueBlock.value[0] : undefined;
  if (!(tbs instanceof asn1js.Sequence)) throw new Error('TSA certificate has no TBSCertificate');
  const fields = tbs.valueBlock.value;
  // version is [0] EXPLICIT and present in every v3 certificate; skip it when there.
  const start = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const raw = (i: number): Uint8Array => {
    const node = fields[start + i];
    if (!node) throw new Error('TSA certificate TBSCertificate is truncated');
    return new Uint8Array(node.valueBeforeDecodeView);
  };
  return { serial: raw(0), issuer: raw(2), subject: raw(4) };
}

function encodeAccuracy(accuracy: TimeStampAccuracy): Uint8Array | undefined {
  const { seconds, millis, micros } = accuracy;
  const parts: Uint8Array[] = [];
  if (seconds !== undefined) {
    if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError('accuracy.seconds must be a non-negative integer');
    if (seconds > 0) parts.push(integer(seconds));
  }
  // millis [0] and micros [1] are IMPLICIT INTEGER (1..999): an INTEGER with its tag replaced.
  for (const [tagNumber, value, name] of [[0, millis, 'millis'], [1, micros, 'micros']] as const) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > 999) throw new RangeError(`accuracy.${name} must be 1..999`);
    const encoded = integer(value);
    encoded[0] = 0x80 | tagNumber;
    parts.push(encoded);
  }
  return parts.length > 0 ? sequence(...parts) : undefined;
}

/** RFC 5652 11.3: signingTime is UTCTime through 2049, GeneralizedTime (whole seconds) after. */
function signingTime(date: Date): Uint8Array {
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return seconds.getUTCFullYear() < 2050 ? utcTime(seconds) : generalizedTime(seconds);
}

export class TimeStampAuthority {
  readonly policy: string;
  private readonly credentials: TsaCredentials;
  private readonly nextSerialNumber: () => bigint;
  private readonly clock: () => Date;
  private readonly policyDer: Uint8Array;
  private readonly accuracyDer: Uint8Array | undefined;
  private readonly tsaNameDer: Uint8Array | undefined;
  private readonly signerIdentifier: Uint8Array;
  private readonly signingCertificateAttribute: Uint8Array;
  private readonly digestAlgorithm: Uint8Array;
  private readonly signatureAlgorithm: Uint8Array;
  private readonly certificatesField: Uint8Array;

  constructor(credentials: TsaCredentials, options: TimeStampAuthorityOptions = {}) {
    this.credentials = credentials;
    this.policy = options.policy ?? DEFAULT_TSA_POLICY_OID;
    if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(this.policy)) throw new RangeError(`policy "${this.policy}" is not a dotted OID`);
    this.policyDer = oid(this.policy);
    this.accuracyDer = options.accuracy ? encodeAccuracy(options.accuracy) : undefined;
    this.nextSerialNumber = options.nextSerialNumber ?? (() => randomSerial(128));
    this.clock = options.clock ?? (() => new Date());

    const certDer = credentials.tsaCertDer;
    const { serial, issuer, subject } = certificateFields(certDer);
    // TSTInfo.tsa is [0] EXPLICIT GeneralName; directoryName is [4] EXPLICIT Name (Name is a CHOICE).
    this.tsaNameDer = options.includeTsaName === false ? undefined : contextConstructed(0, contextConstructed(4, subject));
    // SignerIdentifier as IssuerAndSerialNumber: the only form PKCS#7 verifiers (openssl ts) understand.
    this.signerIdentifier = sequence(issuer, serial);
    // ESS signingCertificateV2 (RFC 5035): binds the signature to this exact certificate.
    // ESSCertIDv2 omits hashAlgorithm because SHA-256 is its DEFAULT (DER forbids encoding defaults).
    const issuerSerial = sequence(sequence(contextConstructed(4, issuer)), serial);
    const essCertIdV2 = sequence(octetString(createHash('sha256').update(certDer).digest()), issuerSerial);
    this.signingCertificateAttribute = sequence(oid(OID.signingCertificateV2), setOf([sequence(sequence(essCertIdV2))]));

    const algorithm = credentials.signingAlgorithm;
    this.digestAlgorithm = algorithmIdentifier(algorithm.digestOid);
    this.signatureAlgorithm = algorithmIdentifier(algorithm.signatureOid, algorithm.nullParameters ? DER_NULL : undefined);
    // SignedData.certificates is [0] IMPLICIT CertificateSet.
    this.certificatesField = contextConstructed(0, certDer);
  }

  /**
   * Answers a DER TimeStampReq (or an already parsed one) with a DER
   * TimeStampResp. Request problems produce a rejection response, not an
   * exception.
   */
  async issue(request: Uint8Array | TimeStampRequest): Promise<Uint8Array> {
    return (await this.issueDetailed(request)).response;
  }

  /** Like issue(), but also reports genTime/serial or the rejection reason (for logs and callers). */
  async issueDetailed(request: Uint8Array | TimeStampRequest): Promise<IssueResult> {
    let parsed: TimeStampRequest;
    if (request instanceof Uint8Array) {
      try {
        parsed = parseTimeStampRequest(request);
      } catch (error) {
        if (error instanceof TimeStampRequestError) return rejection(FAIL_INFO_BY_REQUEST_ERROR[error.code], error.message);
        return rejection('badRequest', 'undecodable request');
      }
    } else {
      // A pre-parsed request skipped parseTimeStampRequest's checks; repeat the ones signing relies on.
      const info = hashAlgorithmByOid(request.hashAlgorithmOid);
      if (!info) return rejection('badAlg', `hash algorithm ${request.hashAlgorithmOid} is not accepted`);
      if (request.hashedMessage.length !== info.digestLength) {
        return rejection('badDataFormat', `hashedMessage is ${request.hashedMessage.length} bytes, ${info.name} needs ${info.digestLength}`);
      }
      parsed = request;
    }
    if (parsed.reqPolicy !== undefined && parsed.reqPolicy !== this.policy) {
      return rejection('unacceptedPolicy', `policy ${parsed.reqPolicy} is not offered; this TSA issues under ${this.policy}`);
    }
    try {
      return await this.sign(parsed);
    } catch (error) {
      // A signing/clock failure is the TSA's fault; RFC 3161 reports it as systemFailure.
      return rejection('systemFailure', error instanceof Error ? error.message : 'internal error');
    }
  }

  /**
   * Time-stamps a work's SHA-256 digest with certReq set, so the stored
   * response verifies with the CA certificate alone. Throws when no token
   * could be issued.
   */
  async timeStampSha256(sha256: Uint8Array): Promise<Sha256TimeStamp> {
    if (!(sha256 instanceof Uint8Array) || sha256.length !== 32) throw new RangeError('sha256 must be a 32-byte Uint8Array');
    const result = await this.issueDetailed({
      version: 1,
      hashAlgorithm: 'SHA-256',
      hashAlgorithmOid: OID.sha256,
      hashAlgorithmNullParams: true,
      hashedMessage: sha256,
      certReq: true,
    });
    if (result.status !== 'granted') throw new TimeStampIssueError(result.failInfo, result.reason);
    const { response, token, genTime, serialNumber } = result;
    return { response, token, genTime, serialNumber };
  }

  private async sign(request: TimeStampRequest): Promise<IssueResult> {
    const genTime = this.clock();
    const { notBefore, notAfter, signingAlgorithm, tsaKey } = this.credentials;
    if (Number.isNaN(genTime.getTime()) || genTime < notBefore || genTime > notAfter) {
      return rejection('systemFailure', 'the TSA certificate is not valid at the current time');
    }
    const serialNumber = this.nextSerialNumber();
    if (serialNumber <= 0n) throw new Error('serial number source returned a non-positive value');

    const hashAlgorithm = algorithmIdentifier(request.hashAlgorithmOid, request.hashAlgorithmNullParams ? DER_NULL : undefined);
    const tstInfoParts = [
      VERSION_1,
      this.policyDer,
      sequence(hashAlgorithm, octetString(request.hashedMessage)),
      integer(serialNumber),
      generalizedTime(genTime),
    ];
    if (this.accuracyDer) tstInfoParts.push(this.accuracyDer);
    // ordering is DEFAULT FALSE and therefore omitted.
    if (request.nonce !== undefined) tstInfoParts.push(integer(request.nonce));
    if (this.tsaNameDer) tstInfoParts.push(this.tsaNameDer);
    const tstInfo = sequence(...tstInfoParts);

    const messageDigest = createHash(signingAlgorithm.nodeHash).update(tstInfo).digest();
    // The signature covers the DER SET OF attributes (tag 0x31); in SignerInfo
    // the same bytes appear as [0] IMPLICIT (tag 0xa0). RFC 5652 5.4.
    const signedAttributes = setOf([
      CONTENT_TYPE_ATTRIBUTE,
      sequence(SIGNING_TIME_ATTR_OID, setOf([signingTime(genTime)])),
      sequence(MESSAGE_DIGEST_ATTR_OID, setOf([octetString(messageDigest)])),
      this.signingCertificateAttribute,
    ]);
    // On the thread pool: the ECDSA signature is half a token's CPU, and the event loop has requests to serve.
    const signature = await signOnThreadPool(signingAlgorithm.nodeHash, signedAttributes, tsaKey);
    const signedAttributesField = signedAttributes.slice();
    signedAttributesField[0] = 0xa0;

    const signerInfo = sequence(
      VERSION_1, // v1: sid is IssuerAndSerialNumber
      this.signerIdentifier,
      this.digestAlgorithm,
      signedAttributesField,
      this.signatureAlgorithm,
      octetString(signature),
    );
    const signedData = sequence(
      VERSION_3, // v3: eContentType is not id-data (RFC 5652 5.1)
      setOf([this.digestAlgorithm]),
      sequence(TST_INFO_OID, contextConstructed(0, octetString(tstInfo))),
      // RFC 3161 2.4.1: include the certificate only when asked to.
      ...(request.certReq ? [this.certificatesField] : []),
      setOf([signerInfo]),
    );
    const token = sequence(SIGNED_DATA_OID, contextConstructed(0, signedData));
    return {
      status: 'granted',
      response: sequence(GRANTED_STATUS_INFO, token),
      token,
      genTime,
      serialNumber,
    };
  }
}

const signOnThreadPool = promisify(sign) as (algorithm: string, data: Uint8Array, key: Parameters<typeof sign>[2]) => Promise<Buffer>;

function rejection(failInfo: PkiFailureInfo, reason: string): IssueResult {
  return { status: 'rejection', response: encodeRejection(failInfo, reason), failInfo, reason };
}
