// The ledger's entry format, version 1. An entry is canonical JSON (RFC 8785)
// so that anyone can re-encode a decoded entry and get the very bytes that
// were hashed into the tree. Business rows point at entries, never the reverse.
import { createHash } from 'node:crypto';
import { canonicalBytes } from './canonical-json.js';

export const ENTRY_VERSION = 1;

export const ENTRY_KINDS = [
  'work.registered',
  'work.amended',
  'work.withdrawn',
  'work.disputed',
  // Appended later than the others: an older verifier refuses this kind rather than misreading it.
  'work.dispute-resolved',
  'ownership.transferred',
  'licence.granted',
  'infringement.confirmed',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface EntryParty {
  /** registrant, owner, licensor, licensee, assignor, assignee, officer, ... */
  role: string;
  id: string;
  shareBp?: number;
}

/** What a business transaction writes; the sequencer adds version and time. */
export interface PendingEntry {
  kind: EntryKind;
  subject: { type: string; id: string };
  /** Lower-case hex SHA-256 of the work's content. */
  workSha256?: string;
  /** Lower-case hex SHA-256 of the canonical JSON of the event's metadata. */
  metadataHash?: string;
  parties: EntryParty[];
  /** Ledger indexes or ids of earlier entries/records this one refers to. */
  refs?: Record<string, string | number>;
}

export interface LedgerEntry extends PendingEntry {
  v: typeof ENTRY_VERSION;
  /** ISO 8601 UTC time the entry was integrated into the tree. */
  integratedAt: string;
}

export function encodeEntry(pending: PendingEntry, integratedAt: Date): Uint8Array {
  const entry: LedgerEntry = { v: ENTRY_VERSION, ...pending, integratedAt: integratedAt.toISOString() };
  return canonicalBytes(entry);
}

export class EntryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryFormatError';
  }
}

/** Parses entry bytes and checks they are exactly the canonical encoding. */
export function decodeEntry(data: Uint8Array): LedgerEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    throw new EntryFormatError('entry is not valid UTF-8 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EntryFormatError('entry is not a JSON object');
  }
  const entry = parsed as Partial<LedgerEntry>;
  if (entry.v !== ENTRY_VERSION) throw new EntryFormatError(`unsupported entry version ${String(entry.v)}`);
  if (!ENTRY_KINDS.includes(entry.kind as EntryKind)) throw new EntryFormatError(`unknown entry kind ${String(entry.kind)}`);
  if (typeof entry.integratedAt !== 'string' || Number.isNaN(Date.parse(entry.integratedAt))) {
    throw new EntryFormatError('entry has no valid integratedAt');
  }
  if (!entry.subject || typeof entry.subject.id !== 'string' || !Array.isArray(entry.parties)) {
    throw new EntryFormatError('entry lacks subject or parties');
  }
  if (!Buffer.from(canonicalBytes(parsed)).equals(Buffer.from(data))) {
    throw new EntryFormatError('entry bytes are not in canonical (RFC 8785) form');
  }
  return entry as LedgerEntry;
}

/** Metadata is hashed, not published: the certificate carries it for checking. */
export function metadataHash(metadata: unknown): string {
  return Buffer.from(sha256Of(canonicalBytes(metadata))).toString('hex');
}

function sha256Of(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}
