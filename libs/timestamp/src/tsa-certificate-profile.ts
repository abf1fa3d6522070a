// The rules that make an X.509 certificate usable as a time-stamping
// certificate (RFC 3161 section 2.3), checked the same way OpenSSL's
// "timestampsign" purpose does, so tokens we accept are tokens openssl accepts.
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from './asn1-oids.js';
import { bitsOf, parseDer } from './der-encoding.js';

const KU_DIGITAL_SIGNATURE = 0;
const KU_NON_REPUDIATION = 1;

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

function extensionValue(ext: pkijs.Extension, what: string): asn1js.AsnType {
  return parseDer(ext.extnValue.valueBlock.valueHexView, what);
}

/**
 * Problems that disqualify `cert` as a TSA signing certificate; empty when it
 * qualifies. RFC 3161 requires exactly one extended key usage,
 * id-kp-timeStamping, in a critical extension; OpenSSL additionally refuses a
 * keyUsage that allows anything beyond digitalSignature/nonRepudiation.
 */
export function timeStampingProfileProblems(cert: pkijs.Certificate): string[] {
  const problems: string[] = [];
  try {
    const eku = extension(cert, OID.extKeyUsage);
    if (!eku) {
      problems.push('no extendedKeyUsage extension');
    } else {
      if (!eku.critical) problems.push('extendedKeyUsage is not marked critical');
      const seq = extensionValue(eku, 'extendedKeyUsage');
      const purposes =
        seq instanceof asn1js.Sequence
          ? seq.valueBlock.value.map((v) => (v instanceof asn1js.ObjectIdentifier ? v.valueBlock.toString() : '?'))
          : [];
      if (purposes.length !== 1 || purposes[0] !== OID.kpTimeStamping) {
        problems.push(`extendedKeyUsage must be exactly id-kp-timeStamping, found [${purposes.join(', ')}]`);
      }
    }
    const ku = extension(cert, OID.keyUsage);
    if (ku) {
      const bitString = extensionValue(ku, 'keyUsage');
      if (!(bitString instanceof asn1js.BitString)) {
        problems.push('keyUsage is not a BIT STRING');
      } else {
        const bits = bitsOf(bitString);
        const allowed = bits.filter((b) => b === KU_DIGITAL_SIGNATURE || b === KU_NON_REPUDIATION);
        if (allowed.length === 0) problems.push('keyUsage allows neither digitalSignature nor nonRepudiation');
        if (allowed.length !== bits.length) problems.push('keyUsage allows more than digitalSignature/nonRepudiation');
      }
    }
  } catch (error) {
    problems.push(`unreadable extension: ${error instanceof Error ? error.message : String(error)}`);
  }
  return problems;
}

/** cA flag from basicConstraints; false when the extension is absent or unreadable. */
export function isCaCertificate(cert: pkijs.Certificate): boolean {
  const bc = extension(cert, OID.basicConstraints);
  if (!bc) return false;
  try {
    const seq = extensionValue(bc, 'basicConstraints');
    const first = seq instanceof asn1js.Sequence ? seq.valueBlock.value[0] : undefined;
    return first instanceof asn1js.Boolean && first.valueBlock.value === true;
  } catch {
    return false;
  }
}
