// Offline verification of a registration certificate. Every step is a named
// check with a detail a person can read, so the verify command, the tests and
// the evidence package all report the same thing. The Merkle and signed-note
// checks are the ledger library's own (RFC 9162, C2SP); the time-stamp checks
// are the timestamp library's. Never throws.
import { createHash } from 'node:crypto';
import {
  CheckpointError,
  type Checkpoint,
  decodeEntry,
  type LedgerEntry,
  leafHash,
  metadataHash,
  openCheckpoint,
  parseVerifierKey,
  verifyInclusion,
} from '#ledger';
import { verifyTimeStampResponse } from '#timestamp';
import { type CertificateDocument, type CertificateEntry, parseCertificateDocument } from './certificate-document.js';
import { canonicalEqual } from './canonical-equal.js';
import { currentMetadata, type MetadataChanges } from './registration-metadata.js';

export interface CertificateCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyCertificateOptions {
  /** The pinned C2SP verifier key of the log. Without it the check "ledger key pinned" fails. */
  verifierKey?: string;
  /** Where the pinned key came from, for the report ("--key file", "the log at URL"). */
  verifierKeySource?: string;
  /** The pinned TSA CA certificate (PEM); without it the certificate's copy is used. */
  tsaCaCertPem?: string;
  /** Hex SHA-256 of the file the certificate is checked against. */
  fileSha256?: string;
}

export interface CertificateVerification {
  ok: boolean;
  checks: CertificateCheck[];
  certificate: CertificateDocument | null;
  /** The checkpoint, once its signature verified. */
  checkpoint: Checkpoint | null;
  registration: LedgerEntry | null;
  timeStampTime: Date | null;
}

/** How much the time-stamp may postdate the ledger integration (clock skew between processes). */
const TIME_STAMP_SKEW_MS = 5 * 60 * 1000;

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function verifyCertificate(input: unknown, options: VerifyCertificateOptions = {}): CertificateVerification {
  const checks: CertificateCheck[] = [];
  const check = (name: string, ok: boolean, detail: string): boolean => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const result: CertificateVerification = { ok: false, checks, certificate: null, checkpoint: null, registration: null, timeStampTime: null };
  const finish = (): CertificateVerification => {
    result.ok = checks.length > 0 && checks.every((c) => c.ok);
    return result;
  };

  let doc: CertificateDocument;
  try {
    doc = parseCertificateDocument(input);
  } catch (error) {
    check('certificate format', false, (error as Error).message);
    return finish();
  }
  result.certificate = doc;
  const { work } = doc;
  check('certificate format', true, `${doc.format} v${doc.version} for ${work.registrationNumber} (work ${work.id})`);

  if (options.fileSha256 !== undefined) {
    const given = options.fileSha256.toLowerCase();
    check('file hash', given === work.sha256, given === work.sha256 ? `the file's SHA-256 is ${given}` : `the file's SHA-256 is ${given}, the certificate's work is ${work.sha256}`);
  }

  // --- The checkpoint, against the pinned key. ---
  const pinned = options.verifierKey?.trim();
  if (pinned) {
    const same = pinned === doc.ledger.verifierKey.trim();
    check('ledger key pinned', true, `${pinned} (${options.verifierKeySource ?? 'given'})${same ? '' : '; the certificate names a different key'}`);
  } else {
    check('ledger key pinned', false, 'no key given: the checkpoint was checked only against the key inside the certificate, which anyone could replace. Pass --key (the log\'s published key) or --log.');
  }
  let checkpoint: Checkpoint | null = null;
  try {
    const verifier = parseVerifierKey(pinned || doc.ledger.verifierKey);
    checkpoint = openCheckpoint(doc.ledger.checkpoint, verifier);
    result.checkpoint = checkpoint;
    check('checkpoint signature', true, `"${checkpoint.origin}" tree size ${checkpoint.size}, root ${Buffer.from(checkpoint.rootHash).toString('base64')}, signed by ${verifier.name}`);
  } catch (error) {
    const why = error instanceof CheckpointError ? error.message : `bad verifier key: ${(error as Error).message}`;
    check('checkpoint signature', false, why);
  }

  // --- Each entry: canonical bytes, leaf hash, subject, content hash, metadata hash, inclusion. ---
  const decoded: Array<{ item: CertificateEntry; entry: LedgerEntry }> = [];
  for (const item of doc.entries) {
    const label = `entry ${item.ledgerIndex} (${item.kind})`;
    let entry: LedgerEntry;
    const data = fromBase64(item.entry);
    try {
      entry = decodeEntry(data);
    } catch (error) {
      check(label, false, `not a canonical ledger entry: ${(error as Error).message}`);
      continue;
    }
    const leaf = leafHash(data);
    const problems: string[] = [];
    if (entry.kind !== item.kind) problems.push(`the entry's kind is ${entry.kind}`);
    if (Buffer.from(leaf).toString('base64') !== item.leafHash) problems.push('leaf hash does not match the entry bytes');
    if (entry.subject.id !== work.id) problems.push(`the entry is about ${entry.subject.id}, not this work`);
    if (entry.workSha256 !== undefined && entry.workSha256 !== work.sha256) problems.push(`the entry's work SHA-256 is ${entry.workSha256}`);
    if (item.inclusionProof.index !== item.ledgerIndex) problems.push('the proof is for another index');
    const needsMetadata = entry.kind === 'work.registered' || entry.kind === 'work.amended' || entry.kind === 'work.withdrawn';
    if (item.metadata !== undefined || needsMetadata) {
      if (item.metadata === undefined) problems.push('the metadata the entry commits to is missing');
      else {
        let hash: string | undefined;
        try {
          hash = metadataHash(item.metadata);
        } catch (error) {
          problems.push(`metadata cannot be canonicalized: ${(error as Error).message}`);
        }
        if (hash !== undefined && hash !== entry.metadataHash) problems.push('metadata does not hash to the entry\'s metadataHash');
      }
    }
    if (checkpoint) {
      const included =
        item.inclusionProof.treeSize === checkpoint.size &&
        verifyInclusion(leaf, item.ledgerIndex, checkpoint.size, item.inclusionProof.hashes.map(fromBase64), checkpoint.rootHash);
      if (!included) problems.push(`inclusion proof does not lead to the checkpoint root (tree size ${checkpoint.size})`);
    } else {
      problems.push('no verified checkpoint to prove inclusion against');
    }
    const ok = check(label, problems.length === 0, problems.length ? problems.join('; ') : `integrated ${entry.integratedAt}; leaf hash, ${item.metadata ? 'metadata hash, ' : ''}inclusion proof OK`);
    if (ok) decoded.push({ item, entry });
  }
  const indexes = doc.entries.map((e) => e.ledgerIndex);
  if (indexes.some((index, i) => i > 0 && index <= indexes[i - 1]!)) check('entry order', false, 'entries are not in ledger order');

  // --- What the entries say, against what the certificate shows. ---
  const registration = decoded.find((d) => d.entry.kind === 'work.registered');
  const registrations = doc.entries.filter((e) => e.kind === 'work.registered').length;
  if (!registration || registrations !== 1 || doc.entries[0]!.kind !== 'work.registered') {
    check('registration', false, 'the certificate must start with exactly one verified work.registered entry');
  } else {
    result.registration = registration.entry;
    const reg = registration.entry;
    const problems: string[] = [];
    if (reg.refs?.registrationNumber !== work.registrationNumber) problems.push(`the entry's registration number is ${String(reg.refs?.registrationNumber)}`);
    if (registration.item.metadata?.registrationNumber !== work.registrationNumber) problems.push('the metadata names another registration number');
    const registrant = reg.parties.find((p) => p.role === 'registrant');
    if (registrant?.id !== work.registrant.id) problems.push(`the entry's registrant is ${registrant?.id ?? 'missing'}`);
    check(
      'registration',
      problems.length === 0,
      problems.length ? problems.join('; ') : `${work.registrationNumber} by party ${work.registrant.id} at ledger index ${registration.item.ledgerIndex}, ${reg.integratedAt}`,
    );

    // Amendments replayed in ledger order must give the metadata the certificate shows.
    const amendments = decoded.filter((d) => d.entry.kind === 'work.amended');
    const badRefs = amendments.filter((a) => Number(a.entry.refs?.original) !== registration.item.ledgerIndex);
    if (badRefs.length) check('amendments', false, `amendment entries ${badRefs.map((a) => a.item.ledgerIndex).join(', ')} do not point at the registration`);
    else if (amendments.length) check('amendments', true, `${amendments.length} amendment(s), each pointing at ledger index ${registration.item.ledgerIndex}`);
    const replayed = currentMetadata(
      registration.item.metadata!,
      amendments.map((a) => ({ changes: (a.item.metadata?.changes ?? {}) as MetadataChanges })),
    );
    const metadataOk = canonicalEqual(replayed, work.metadata);
    check('shown metadata', metadataOk, metadataOk ? 'title, authors and other details are exactly those committed in the ledger' : 'the metadata shown differs from the registration with its amendments applied');

    const withdrawn = decoded.some((d) => d.entry.kind === 'work.withdrawn');
    const statusOk = (work.status === 'withdrawn') === withdrawn;
    check('status', statusOk, statusOk ? work.status : `the certificate says ${work.status} but the entries say ${withdrawn ? 'withdrawn' : 'registered'}`);

    // The registered owners with every transfer applied, in ledger order, must
    // be the owners shown (after a transfer they were not checked at all).
    const transfers = decoded.filter((d) => d.entry.kind === 'ownership.transferred');
    const owners = ownersAfter(reg.parties, transfers.map((t) => t.entry.parties));
    const expected = [...owners].map(([id, shareBp]) => `${id}:${shareBp}`).sort();
    const shown = work.owners.map((o) => `${o.id}:${o.shareBp}`).sort();
    const same = expected.length === shown.length && expected.every((o, i) => o === shown[i]);
    check(
      'owners',
      same,
      same
        ? `${shown.length} owner(s) with the shares registered${transfers.length ? ` and ${transfers.length} transfer(s) applied` : ''} (their names are the registry's display names, not part of the ledger)`
        : `the owners shown differ from those the entries give: ${expected.join(', ')}`,
    );
  }

  // --- The RFC 3161 time-stamp over the work's SHA-256. ---
  const ts = doc.timeStamp;
  if (!ts) {
    check('time-stamp', false, 'the certificate carries no time-stamp token');
  } else {
    const der = fromBase64(ts.response);
    const verification = verifyTimeStampResponse(der, {
      caCertPem: options.tsaCaCertPem ?? ts.caCertPem,
      tsaCertPem: ts.tsaCertPem,
      sha256: Buffer.from(work.sha256, 'hex'),
    });
    const failed = verification.checks.filter((c) => !c.ok);
    result.timeStampTime = verification.genTime;
    check(
      'time-stamp signature and imprint',
      verification.ok,
      verification.ok
        ? `token by ${verification.tsaSubject ?? 'the TSA'} over SHA-256 ${work.sha256} at ${verification.genTime?.toISOString()} (serial ${verification.serialNumber})`
        : failed.map((c) => `${c.name}: ${c.detail}`).join('; '),
    );
    const bound = result.registration?.refs?.timeStamp;
    if (bound !== undefined) {
      const same = bound === sha256Hex(der);
      check('time-stamp bound to the ledger', same, same ? 'the registration entry carries the SHA-256 of this very response' : 'the registration entry names a different time-stamp response');
    } else if (options.tsaCaCertPem) {
      check('time-stamp trust', true, 'checked against the pinned TSA CA certificate');
    } else {
      check('time-stamp trust', false, 'the registration entry does not name this token and no TSA CA was pinned (pass --tsa-ca or --log)');
    }
    if (verification.ok) {
      // The copies shown beside the token must be the token's own.
      const same = Date.parse(ts.genTime) === verification.genTime?.getTime() && ts.serialNumber === String(verification.serialNumber);
      check('time-stamp details', same, same ? 'the time and serial number shown are the token\'s' : `the token says ${verification.genTime?.toISOString()} (serial ${verification.serialNumber}), the certificate shows ${ts.genTime} (serial ${ts.serialNumber})`);
    }
    if (verification.genTime && result.registration) {
      const integrated = Date.parse(result.registration.integratedAt);
      const ok = verification.genTime.getTime() <= integrated + TIME_STAMP_SKEW_MS;
      check('time-stamp time', ok, `${verification.genTime.toISOString()} ${ok ? 'precedes' : 'is after'} ledger integration at ${result.registration.integratedAt}`);
      // The registration was written after its token was issued and before it was integrated.
      const registeredAt = Date.parse(work.registeredAt);
      const between = registeredAt >= verification.genTime.getTime() - TIME_STAMP_SKEW_MS && registeredAt <= integrated + TIME_STAMP_SKEW_MS;
      check('registration time', between, `${work.registeredAt} ${between ? 'lies' : 'does not lie'} between the time-stamp and the ledger integration`);
    }
  }
  return finish();
}

/** Owners and shares after the registration's owner parties, then each transfer's assignor → assignee, in order. */
function ownersAfter(registered: LedgerEntry['parties'], transfers: Array<LedgerEntry['parties']>): Map<string, number> {
  const owners = new Map(registered.filter((p) => p.role === 'owner').map((p) => [p.id, p.shareBp ?? 0]));
  for (const parties of transfers) {
    const assignor = parties.find((p) => p.role === 'assignor');
    const assignee = parties.find((p) => p.role === 'assignee');
    if (!assignor || !assignee) continue;
    const moved = assignor.shareBp ?? 0;
    const left = (owners.get(assignor.id) ?? 0) - moved;
    if (left > 0) owners.set(assignor.id, left);
    else owners.delete(assignor.id);
    owners.set(assignee.id, (owners.get(assignee.id) ?? 0) + moved);
  }
  return owners;
}
