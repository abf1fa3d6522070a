// RFC 3161 TimeStampReq: strict parsing of what clients send (with typed
// errors the authority maps to PKIFailureInfo bits) and creation of requests
// for tests and in-process clients.
import * as asn1js from 'asn1js';
import { hashAlgorithmByOid, OID, WEAK_HASH_NAMES, type TimeStampHashAlgorithm } from './asn1-oids.js';
import {
  algorithmIdentifier,
  assertDerFraming,
  DER_NULL,
  DerParseError,
  integer,
  octetString,
  parseDer,
  sequence,
  TAG,
  tlv,
  toBytes,
} from './der-encoding.js';

/**
 * Why a request was refused. The authority turns these into a rejection
 * response: `malformed`/`unsupported-version` -> badRequest,
 * `unsupported-hash-algorithm` -> badAlg, `bad-digest-length` -> badDataFormat,
 * `unsupported-extension` -> unacceptedExtension.
 */
export type TimeStampRequestErrorCode =
  | 'malformed'
  | 'unsupported-version'
  | 'unsupported-hash-algorithm'
  | 'bad-digest-length'
  | 'unsupported-extension';

export class TimeStampRequestError extends Error {
  override readonly name = 'TimeStampRequestError';
  constructor(
    readonly code: TimeStampRequestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TimeStampRequest {
  version: 1;
  hashAlgorithm: TimeStampHashAlgorithm;
  hashAlgorithmOid: string;
  /**
   * Whether the request's hash AlgorithmIdentifier carried an explicit NULL
   * parameter. RFC 3161 wants the token's messageImprint to equal the
   * request's, so the authority echoes the same form.
   */
  hashAlgorithmNullParams: boolean;
  hashedMessage: Uint8Array;
  reqPolicy?: string;
  nonce?: bigint;
  certReq: boolean;
}

// A TimeStampReq without extensions is ~100 bytes; anything near this limit is not a real request.
const MAX_REQUEST_BYTES = 16 * 1024;

function malformed(message: string): TimeStampRequestError {
  return new TimeStampRequestError('malformed', message);
}

function isContextTag(node: asn1js.AsnType | undefined, tagNumber: number): boolean {
  return node !== undefined && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === tagNumber;
}

function parseHashAlgorithm(node: asn1js.AsnType | undefined): Pick<
  TimeStampRequest,
  'hashAlgorithm' | 'hashAlgorithmOid' | 'hashAlgorithmNullParams'
> & { digestLength: number } {
  if (!(node instanceof asn1js.Sequence)) throw malformed('messageImprint.hashAlgorithm must be a SEQUENCE');
  const [algorithm, parameters, ...rest] = node.valueBlock.value;
  if (!(algorithm instanceof asn1js.ObjectIdentifier) || rest.length > 0) {
    throw malformed('messageImprint.hashAlgorithm must be SEQUENCE { OBJECT IDENTIFIER, parameters OPTIONAL }');
  }
  const oid = algorithm.valueBlock.toString();
  const info = hashAlgorithmByOid(oid);
  if (!info) {
    const known = WEAK_HASH_NAMES[oid];
    throw new TimeStampRequestError(
      'unsupported-hash-algorithm',
      `hash algorithm ${known ? `${known} (${oid})` : oid} is not accepted; use SHA-256, SHA-384 or SHA-512`,
    );
  }
  if (parameters !== undefined && (!(parameters instanceof asn1js.Null) || parameters.valueBeforeDecodeView.length !== 2)) {
    throw new TimeStampRequestError('unsupported-hash-algorithm', `${info.name} takes no parameters other than NULL`);
  }
  return {
    hashAlgorithm: info.name,
    hashAlgorithmOid: info.oid,
    hashAlgorithmNullParams: parameters !== undefined,
    digestLength: info.digestLength,
  };
}

/**
 * Parses a DER TimeStampReq. Throws TimeStampRequestError (never anything
 * else) describing the first problem found.
 *
 *   TimeStampReq ::= SEQUENCE {
 *     version INTEGER { v1(1) }, messageImprint MessageImprint,
 *     reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL,
 *     certReq BOOLEAN DEFAULT FALSE, extensions [0] IMPLICIT Extensions OPTIONAL }
 */
/** An INTEGER in DER: at least one content octet, and no redundant leading octet. */
function isDerInteger(node: asn1js.Integer): boolean {
  const bytes = node.valueBlock.valueHexView;
  if (bytes.length === 0) return false;
  if (bytes.length === 1) return true;
  return !(bytes[0] === 0x00 && bytes[1]! < 0x80) && !(bytes[0] === 0xff && bytes[1]! >= 0x80);
}

export function parseTimeStampRequest(der: Uint8Array): TimeStampRequest {
  let root: asn1js.AsnType;
  try {
    // DER, as RFC 3161 asks, before the BER-lenient parser (which accepted
    // indefinite lengths and re-framed elements; OpenSSL refuses them).
    assertDerFraming(toBytes(der), 'TimeStampReq');
    root = parseDer(toBytes(der), 'TimeStampReq', MAX_REQUEST_BYTES);
  } catch (error) {
    throw malformed(error instanceof DerParseError ? error.message : 'TimeStampReq: undecodable');
  }
  if (!(root instanceof asn1js.Sequence)) throw malformed('TimeStampReq must be a SEQUENCE');
  const fields = root.valueBlock.value;
  let index = 0;

  const version = fields[index++];
  if (!(version instanceof asn1js.Integer) || !isDerInteger(version)) throw malformed('TimeStampReq.version must be a DER INTEGER');
  if (version.toBigInt() !== 1n) {
    throw new TimeStampRequestError('unsupported-version', `TimeStampReq version ${version.toBigInt()} is not supported (expected 1)`);
  }

  const imprint = fields[index++];
  if (!(imprint instanceof asn1js.Sequence) || imprint.valueBlock.value.length !== 2) {
    throw malformed('messageImprint must be SEQUENCE { hashAlgorithm, hashedMessage }');
  }
  const [algorithmNode, hashedNode] = imprint.valueBlock.value;
  if (!(hashedNode instanceof asn1js.OctetString) || hashedNode.valueBlock.isConstructed) {
    throw malformed('messageImprint.hashedMessage must be a primitive OCTET STRING');
  }
  const algorithm = parseHashAlgorithm(algorithmNode);
  const hashedMessage = new Uint8Array(hashedNode.valueBlock.valueHexView);
  if (hashedMessage.length !== algorithm.digestLength) {
    throw new TimeStampRequestError(
      'bad-digest-length',
      `hashedMessage is ${hashedMessage.length} bytes but ${algorithm.hashAlgorithm} digests are ${algorithm.digestLength} bytes`,
    );
  }

  const request: TimeStampRequest = {
    version: 1,
    hashAlgorithm: algorithm.hashAlgorithm,
    hashAlgorithmOid: algorithm.hashAlgorithmOid,
    hashAlgorithmNullParams: algorithm.hashAlgorithmNullParams,
    hashedMessage,
    certReq: false,
  };

  // Optional fields must appear in schema order; anything else is malformed.
  let node = fields[index];
  if (node instanceof asn1js.ObjectIdentifier) {
    request.reqPolicy = node.valueBlock.toString();
    node = fields[++index];
  }
  if (node instanceof asn1js.Integer) {
    if (!isDerInteger(node)) throw malformed('nonce must be a DER INTEGER (content present and minimal)');
    request.nonce = node.toBigInt();
    node = fields[++index];
  }
  if (node instanceof asn1js.Boolean) {
    const value = node.valueBlock.valueHexView;
    if (value.length !== 1 || (value[0] !== 0x00 && value[0] !== 0xff)) throw malformed('certReq must be a DER BOOLEAN (one octet, 00 or FF)');
    request.certReq = node.valueBlock.value;
    node = fields[++index];
  }
  if (isContextTag(node, 0)) {
    // RFC 3161 2.4.1: a TSA must refuse extensions it does not recognise,
    // critical or not, and this TSA recognises none.
    throw new TimeStampRequestError('unsupported-extension', 'request extensions are not supported by this TSA');
  }
  if (node !== undefined) throw malformed(`unexpected ${node.constructor.name} at position ${index} of TimeStampReq`);
  return request;
}

export interface CreateTimeStampRequestOptions {
  /** SHA-256 digest of the datum (32 bytes). */
  sha256: Uint8Array;
  /** Echoed in the token; a Uint8Array is read as an unsigned big-endian integer. */
  nonce?: bigint | Uint8Array;
  /** Ask the TSA to embed its certificate in the token. Default false, as in RFC 3161. */
  certReq?: boolean;
  reqPolicy?: string;
}

function nonceValue(nonce: bigint | Uint8Array): bigint {
  const value = typeof nonce === 'bigint' ? nonce : nonce.length === 0 ? 0n : BigInt(`0x${Buffer.from(nonce).toString('hex')}`);
  if (value < 0n) throw new RangeError('nonce must not be negative');
  return value;
}

/** DER TimeStampReq for a SHA-256 digest, shaped like `openssl ts -query -sha256` output. */
export function createTimeStampRequest(options: CreateTimeStampRequestOptions): Uint8Array {
  if (!(options.sha256 instanceof Uint8Array) || options.sha256.length !== 32) {
    throw new RangeError('sha256 must be a 32-byte Uint8Array');
  }
  const parts: Uint8Array[] = [
    integer(1),
    // Explicit NULL parameters, as OpenSSL writes them; both forms are accepted by TSAs.
    sequence(algorithmIdentifier(OID.sha256, DER_NULL), octetString(options.sha256)),
  ];
  if (options.reqPolicy !== undefined) parts.push(toBytes(new asn1js.ObjectIdentifier({ value: options.reqPolicy }).toBER()));
  if (options.nonce !== undefined) parts.push(integer(nonceValue(options.nonce)));
  // certReq is DEFAULT FALSE: DER omits it unless true.
  if (options.certReq) parts.push(tlv(TAG.boolean, Uint8Array.of(0xff)));
  return sequence(...parts);
}
