// Object identifiers used by the time-stamp authority, in one place so the
// issuer, the verifier and the certificate generator cannot drift apart.

/**
 * Default TSA policy (TSTInfo.policy). It sits under IANA's Private Enterprise
 * Number 32473, which RFC 5612 reserves for documentation and examples, so it
 * can never collide with a real organisation's policy. A deployment that has
 * its own enterprise arc should pass its own policy OID instead.
 */
export const DEFAULT_TSA_POLICY_OID = '1.3.6.1.4.1.32473.3161.1';

export const OID = {
  // CMS / PKCS#7 (RFC 5652)
  signedData: '1.2.840.113549.1.7.2',
  contentTypeAttr: '1.2.840.113549.1.9.3',
  messageDigestAttr: '1.2.840.113549.1.9.4',
  signingTimeAttr: '1.2.840.113549.1.9.5',
  // RFC 3161 eContentType of a time-stamp token
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  // ESS signing-certificate attributes (RFC 2634, RFC 5035)
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  // Digests
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  // Signature algorithms
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  // X.509 (RFC 5280)
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  kpTimeStamping: '1.3.6.1.5.5.7.3.8',
} as const;

/** Digest algorithms a time-stamp request may use; anything else is badAlg. */
export type TimeStampHashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface HashAlgorithmInfo {
  readonly name: TimeStampHashAlgorithm;
  readonly oid: string;
  /** Name understood by node:crypto createHash / sign / verify. */
  readonly nodeName: 'sha256' | 'sha384' | 'sha512';
  readonly digestLength: number;
}

const HASHES: readonly HashAlgorithmInfo[] = [
  { name: 'SHA-256', oid: OID.sha256, nodeName: 'sha256', digestLength: 32 },
  { name: 'SHA-384', oid: OID.sha384, nodeName: 'sha384', digestLength: 48 },
  { name: 'SHA-512', oid: OID.sha512, nodeName: 'sha512', digestLength: 64 },
];

export function hashAlgorithmByOid(oid: string): HashAlgorithmInfo | undefined {
  return HASHES.find((h) => h.oid === oid);
}

/** Human-readable names for digests we refuse, so rejections can say what was sent. */
export const WEAK_HASH_NAMES: Readonly<Record<string, string>> = {
  [OID.sha1]: 'SHA-1',
  '1.2.840.113549.2.5': 'MD5',
  '1.2.840.113549.2.2': 'MD2',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
};
