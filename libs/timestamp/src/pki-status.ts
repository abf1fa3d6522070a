// PKIStatusInfo of a TimeStampResp (RFC 3161 section 2.4.2): status values,
// PKIFailureInfo bit names, and their DER encoding.
import * as asn1js from 'asn1js';
import { bitsOf, integer, namedBitString, sequence, TAG, tlv } from './der-encoding.js';

export const PKI_STATUS = {
  granted: 0,
  grantedWithMods: 1,
  rejection: 2,
  waiting: 3,
  revocationWarning: 4,
  revocationNotification: 5,
} as const;

export type PkiStatusName = keyof typeof PKI_STATUS;

/** PKIFailureInfo named bits defined by RFC 3161. */
export const PKI_FAILURE_INFO_BITS = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25,
} as const;

export type PkiFailureInfo = keyof typeof PKI_FAILURE_INFO_BITS;

export function pkiStatusName(status: number): PkiStatusName | `unknown(${number})` {
  const entry = Object.entries(PKI_STATUS).find(([, value]) => value === status);
  return entry ? (entry[0] as PkiStatusName) : `unknown(${status})`;
}

export function failureInfoNames(bitString: asn1js.BitString): string[] {
  const names = Object.entries(PKI_FAILURE_INFO_BITS);
  return bitsOf(bitString).map((bit) => names.find(([, value]) => value === bit)?.[0] ?? `bit${bit}`);
}

/** DER of PKIStatusInfo { status, statusString OPTIONAL, failInfo OPTIONAL }. */
export function encodePkiStatusInfo(status: number, statusText?: string, failInfo?: PkiFailureInfo): Uint8Array {
  const parts = [integer(status)];
  if (statusText !== undefined) {
    // PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
    parts.push(sequence(tlv(TAG.utf8String, new TextEncoder().encode(statusText))));
  }
  if (failInfo !== undefined) parts.push(namedBitString([PKI_FAILURE_INFO_BITS[failInfo]]));
  return sequence(...parts);
}

export const GRANTED_STATUS_INFO: Uint8Array = encodePkiStatusInfo(PKI_STATUS.granted);

/** A complete TimeStampResp that carries only a rejection status. */
export function encodeRejection(failInfo: PkiFailureInfo, statusText: string): Uint8Array {
  return sequence(encodePkiStatusInfo(PKI_STATUS.rejection, statusText, failInfo));
}
