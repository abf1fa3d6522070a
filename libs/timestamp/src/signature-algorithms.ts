// Maps TSA keys to the CMS/X.509 signature algorithm they sign with, and
// signature algorithm identifiers found in tokens back to node:crypto verify
// parameters. Signing and verifying both run natively in node:crypto.
import type { KeyObject } from 'node:crypto';
import { OID } from './asn1-oids.js';

export interface SigningAlgorithm {
  /** signatureAlgorithm for certificates and SignerInfo. */
  readonly signatureOid: string;
  /** digestAlgorithm for SignerInfo; also the hash node:crypto signs with. */
  readonly digestOid: string;
  readonly nodeHash: 'sha256' | 'sha384' | 'sha512';
  /** RFC 4055: sha*WithRSAEncryption carries explicit NULL parameters; ECDSA (RFC 5758) has none. */
  readonly nullParameters: boolean;
}

const EC_CURVES: Readonly<Record<string, SigningAlgorithm>> = {
  prime256v1: { signatureOid: OID.ecdsaWithSha256, digestOid: OID.sha256, nodeHash: 'sha256', nullParameters: false },
  secp384r1: { signatureOid: OID.ecdsaWithSha384, digestOid: OID.sha384, nodeHash: 'sha384', nullParameters: false },
};

const RSA_SHA256: SigningAlgorithm = {
  signatureOid: OID.sha256WithRsa,
  digestOid: OID.sha256,
  nodeHash: 'sha256',
  nullParameters: true,
};

/**
 * The algorithm a key signs with. Only keys `openssl ts -verify` handles
 * without extra flags are accepted: ECDSA P-256/P-384 and RSA (PKCS#1 v1.5,
 * >= 2048 bits). RSA-PSS and EdDSA are refused rather than producing tokens
 * that common verifiers reject.
 */
export function signingAlgorithmForKey(key: KeyObject): SigningAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? '';
    const algorithm = EC_CURVES[curve];
    if (!algorithm) throw new RangeError(`unsupported EC curve "${curve}" (use P-256 or P-384)`);
    return algorithm;
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new RangeError('RSA keys shorter than 2048 bits are not accepted');
    return RSA_SHA256;
  }
  throw new RangeError(`unsupported key type "${key.asymmetricKeyType ?? 'unknown'}" (use EC P-256/P-384 or RSA)`);
}

type NodeHash = SigningAlgorithm['nodeHash'];

// null: the OID names only the key algorithm, which CMS allows in
// SignerInfo.signatureAlgorithm; the hash then comes from digestAlgorithm.
const SIGNATURE_HASHES: Readonly<Record<string, NodeHash | null>> = {
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
  [OID.ecPublicKey]: null,
  [OID.rsaEncryption]: null,
};

/**
 * The hash node:crypto must verify a SignerInfo signature with, or undefined
 * when the signature algorithm is not one this library checks (RSA-PSS,
 * EdDSA, DSA, anything unknown): those tokens fail verification.
 */
export function verificationHash(signatureOid: string, digestHash: NodeHash): NodeHash | undefined {
  if (!Object.hasOwn(SIGNATURE_HASHES, signatureOid)) return undefined;
  return SIGNATURE_HASHES[signatureOid] ?? digestHash;
}
