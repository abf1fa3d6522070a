// The evidence package an officer exports for a report: one self-contained
// JSON document that a court, the other side or anyone else can check offline
// with the ledger's public key (`npm run verify -- evidence.json --key vkey`).
//
// What is proved by what:
// - each registered work: its registration certificate (ledger entries with
//   inclusion proofs against a signed checkpoint, RFC 3161 time-stamp);
// - priority: the original's ledger index is below the suspect registration's
//   (or its registration precedes the time the suspect copy was seen);
// - a sighting (a copy found online): its SHA-256, source and the RFC 3161
//   token the registry issued over that SHA-256 when it was received;
// - the similarity evidence: its canonical SHA-256; once the report is
//   confirmed, the `infringement.confirmed` ledger entry commits to that hash,
//   to both sides and to the officer's decision.
// Scores and history of a report that is not confirmed are the service's own
// statement; the package says so rather than dress them up as proof.
import {
  decodeEntry,
  leafHash,
  metadataHash,
  openCheckpoint,
  parseVerifierKey,
  verifyInclusion,
  type Checkpoint,
  type LedgerEntry,
} from '#ledger';
import { verifyCertificate, type CertificateCheck, type CertificateDocument } from '#certificate';
import { verifyTimeStampResponse } from '#timestamp';
import { canonicalEqual } from '#certificate';
import { canonicalSha256, type ConfirmationMetadata } from './confirmation.js';
import type { SimilarityEvidence } from './similarity.js';
import { takedownNotice, type TakedownNotice } from './takedown-notice.js';

export const EVIDENCE_FORMAT = 'copyright-ledger/infringement-evidence';
export const EVIDENCE_VERSION = 1;

export interface ReportEventView {
  at: string;
  kind: 'detected' | 'status' | 'note';
  from: string | null;
  to: string | null;
  actor: { kind: 'system' } | { kind: 'party'; partyId: string | null; role: string; keyId: string | null; name: string | null };
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface SightingRecord {
  id: string;
  sha256: string;
  contentKind: 'file' | 'text';
  sizeBytes: number;
  mediaType: string | null;
  fileName: string | null;
  title: string | null;
  sourceUrl: string;
  platform: string;
  seenAt: string;
  receivedAt: string;
  reportedBy: { partyId: string; role: string; name: string | null };
  suspect: { partyId: string | null; name: string | null };
  territory: string;
  notes: string | null;
  /** RFC 3161 response (base64 DER) over `sha256`, issued when the sighting was received. */
  timeStamp: { response: string; caCertPem: string; tsaCertPem: string } | null;
}

export interface LedgerProofItem {
  kind: string;
  ledgerIndex: number;
  entry: string;
  leafHash: string;
  inclusionProof: { index: number; treeSize: number; hashes: string[] };
}

export interface EvidencePackage {
  format: typeof EVIDENCE_FORMAT;
  version: typeof EVIDENCE_VERSION;
  issuedAt: string;
  issuer: string;
  /** The ledger key the service signs with (pin your own copy when verifying). */
  verifierKey: string;
  report: {
    id: string;
    status: string;
    detectedAt: string;
    statusChangedAt: string;
    media: string;
    matchKind: 'exact' | 'near';
    severity: string;
    score: number;
    scores: Record<string, unknown>;
    algorithm: string;
    licence: Record<string, unknown>;
    /** Hex SHA-256 of the canonical JSON of `similarity`. */
    evidenceSha256: string;
  };
  original: { certificate: CertificateDocument };
  suspect: { kind: 'work'; certificate: CertificateDocument } | { kind: 'sighting'; sighting: SightingRecord };
  similarity: SimilarityEvidence;
  history: ReportEventView[];
  /** Present once the report is confirmed: the ledger entry, its proof and what it commits to. */
  confirmation: { entry: LedgerProofItem; checkpoint: string; metadata: ConfirmationMetadata } | null;
  takedownNotice: TakedownNotice | null;
  /** Plain statements of what each part proves (for the reader; not checked). */
  statement: string[];
}

export interface VerifyEvidenceOptions {
  verifierKey?: string;
  verifierKeySource?: string;
  tsaCaCertPem?: string;
  /** Hex SHA-256 of the original work's file, when the checker has it. */
  originalFileSha256?: string;
  /** Hex SHA-256 of the suspect copy, when the checker has it. */
  suspectFileSha256?: string;
}

export interface EvidenceVerification {
  ok: boolean;
  checks: CertificateCheck[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export function isEvidencePackage(value: unknown): boolean {
  return isObject(value) && value.format === EVIDENCE_FORMAT;
}

/** Every check of an evidence package, offline. Never throws. */
export function verifyEvidencePackage(input: unknown, options: VerifyEvidenceOptions = {}): EvidenceVerification {
  const checks: CertificateCheck[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const done = () => ({ ok: checks.length > 0 && checks.every((c) => c.ok), checks });
  try {
    if (!isObject(input) || input.format !== EVIDENCE_FORMAT) {
      check('package format', false, 'not an infringement evidence package');
      return done();
    }
    if (input.version !== EVIDENCE_VERSION) {
      check('package format', false, `unsupported version ${JSON.stringify(input.version)}; this verifier reads version ${EVIDENCE_VERSION}`);
      return done();
    }
    const pkg = input as unknown as EvidencePackage;
    if (!isObject(pkg.report) || !isObject(pkg.original) || !isObject(pkg.suspect) || !isObject(pkg.similarity) || !Array.isArray(pkg.history)) {
      check('package format', false, 'report, original, suspect, similarity or history is missing');
      return done();
    }
    check('package format', true, `${EVIDENCE_FORMAT} v${EVIDENCE_VERSION}, report ${pkg.report.id} (${pkg.report.status}), issued ${pkg.issuedAt} by ${pkg.issuer}`);

    const certOptions = { verifierKey: options.verifierKey, verifierKeySource: options.verifierKeySource, tsaCaCertPem: options.tsaCaCertPem };
    // --- the original's registration certificate
    const original = verifyCertificate(pkg.original.certificate, { ...certOptions, fileSha256: options.originalFileSha256 });
    for (const c of original.checks) check(`original: ${c.name}`, c.ok, c.detail);
    const originalCert = original.certificate;
    const originalIndex = originalCert?.entries.find((e) => e.kind === 'work.registered')?.ledgerIndex;

    // --- the suspect: a registration certificate, or a sighting with its time-stamp
    let suspectSha256: string | undefined;
    let suspectId: string | undefined;
    let suspectLocation: string | undefined;
    if (pkg.suspect.kind === 'work') {
      const suspect = verifyCertificate(pkg.suspect.certificate, { ...certOptions, fileSha256: options.suspectFileSha256 });
      for (const c of suspect.checks) check(`suspect: ${c.name}`, c.ok, c.detail);
      const suspectIndex = suspect.certificate?.entries.find((e) => e.kind === 'work.registered')?.ledgerIndex;
      suspectSha256 = suspect.certificate?.work.sha256;
      suspectId = suspect.certificate?.work.id;
      if (originalIndex !== undefined && suspectIndex !== undefined) {
        check(
          'priority',
          originalIndex < suspectIndex,
          originalIndex < suspectIndex
            ? `the original was registered first: ledger index ${originalIndex} (${original.registration?.integratedAt}) before ${suspectIndex} (${suspect.registration?.integratedAt})`
            : `the suspect registration (ledger index ${suspectIndex}) is not later than the original (${originalIndex})`,
        );
      } else {
        check('priority', false, 'a registration entry is missing, so priority cannot be shown');
      }
    } else if (pkg.suspect.kind === 'sighting' && isObject(pkg.suspect.sighting)) {
      const s = pkg.suspect.sighting;
      suspectSha256 = s.sha256;
      suspectId = s.id;
      suspectLocation = s.sourceUrl;
      if (options.suspectFileSha256 !== undefined) {
        const same = options.suspectFileSha256.toLowerCase() === s.sha256;
        check('suspect: file hash', same, same ? `the file's SHA-256 is ${s.sha256}` : `the file's SHA-256 is ${options.suspectFileSha256}, the sighting's is ${s.sha256}`);
      }
      // The token is bound to nothing on the ledger: only a TSA CA pinned by
      // the reader makes it evidence (a package could carry a CA of its own).
      let receivedAt: Date | undefined;
      if (!s.timeStamp) {
        check('suspect: sighting time-stamp', false, 'the sighting carries no time-stamp token: when it was received is the service\'s word only');
      } else if (!options.tsaCaCertPem) {
        check('suspect: sighting time-stamp', false, 'no TSA CA pinned: pass --tsa-ca <ca.pem> (or --log) to check the token; the CA inside the package proves nothing');
      } else {
        const v = verifyTimeStampResponse(b64(s.timeStamp.response), { caCertPem: options.tsaCaCertPem, tsaCertPem: s.timeStamp.tsaCertPem, sha256: Buffer.from(s.sha256, 'hex') });
        if (v.ok) receivedAt = v.genTime ?? undefined;
        check(
          'suspect: sighting time-stamp',
          v.ok,
          v.ok ? `RFC 3161 token over SHA-256 ${s.sha256} at ${v.genTime?.toISOString()} (pinned TSA CA)` : v.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; '),
        );
      }
      check('suspect: sighting', true, `copy at ${s.sourceUrl} (${s.platform}), seen ${s.seenAt} (the reporter's statement), reported by party ${s.reportedBy.partyId} (${s.reportedBy.role}); SHA-256 ${s.sha256}`);
      const registeredAt = original.registration?.integratedAt;
      if (registeredAt) {
        // Against the signed time the copy was received when there is one; `seenAt` is only what the reporter said.
        const copyTime = receivedAt?.toISOString() ?? s.seenAt;
        const which = receivedAt ? 'received (time-stamped)' : 'seen (by the reporter\'s word only)';
        const first = Date.parse(registeredAt) <= Date.parse(copyTime);
        check(
          'priority',
          first,
          first
            ? `the original was in the ledger (${registeredAt}) before the copy was ${which} (${copyTime})`
            : `the copy was ${which} (${copyTime}) before the original was registered (${registeredAt}): the ledger does not establish priority`,
        );
      } else {
        check('priority', false, 'the original\'s registration entry did not verify, so priority cannot be shown');
      }
    } else {
      check('suspect', false, 'suspect is neither a registered work nor a sighting');
    }

    // --- the similarity evidence and what it refers to
    const evidenceSha = canonicalSha256(pkg.similarity);
    check(
      'similarity evidence hash',
      evidenceSha === pkg.report.evidenceSha256,
      evidenceSha === pkg.report.evidenceSha256 ? `canonical SHA-256 ${evidenceSha}` : `the evidence hashes to ${evidenceSha}, the report names ${pkg.report.evidenceSha256}`,
    );
    const sim = pkg.similarity;
    if (sim.method === 'sha256') {
      const same = originalCert?.work.sha256 === sim.sha256 && suspectSha256 === sim.sha256;
      check('similarity', same, same ? `identical content: both have SHA-256 ${sim.sha256}` : 'the exact-match hash is not the SHA-256 of both sides');
    } else if (sim.method === 'text') {
      const inRange = sim.passages.every((p) => p.original.start <= p.original.end && p.original.end <= sim.texts.originalChars && p.suspect.start <= p.suspect.end && p.suspect.end <= sim.texts.suspectChars);
      check('similarity', inRange, `text: Jaccard ${sim.jaccard}, ${sim.originalInSuspect} of the original's shingles in the suspect; ${sim.passages.length} matched passage(s), offsets within both extracted texts${inRange ? '' : ' — SOME OFFSETS ARE OUT OF RANGE'}`);
    } else if (sim.method === 'image') {
      check('similarity', sim.distance <= 64, `image: ${sim.match} match at Hamming distance ${sim.distance} of 64 bits (threshold ${sim.threshold ?? (sim.match === 'region' ? sim.thresholds.region : sim.thresholds.global)})`);
    }

    // --- the workflow: history consistent with the status, and the confirmation on the ledger
    const statusEvents = pkg.history.filter((e) => e.kind === 'status' || e.kind === 'detected');
    const last = statusEvents[statusEvents.length - 1];
    const ordered = pkg.history.every((e, i) => i === 0 || Date.parse(e.at) >= Date.parse(pkg.history[i - 1]!.at));
    const consistent = ordered && last !== undefined && last.to === pkg.report.status;
    check('history', consistent, consistent ? `${pkg.history.length} event(s), in order, ending in status ${pkg.report.status}` : 'the history is out of order or does not end in the report\'s status');

    if (pkg.report.status === 'confirmed' || pkg.confirmation) {
      if (!pkg.confirmation) {
        check('confirmation on the ledger', false, 'the report is confirmed but the package carries no infringement.confirmed entry');
      } else {
        verifyConfirmation(pkg, options, check, { originalSha256: originalCert?.work.sha256, originalId: originalCert?.work.id, suspectSha256, suspectId, suspectLocation });
      }
    } else {
      check('status', true, `${pkg.report.status}: not confirmed by an officer; the detection and its history are the service's statement, not a ledger record`);
    }

    if (pkg.takedownNotice) {
      const t = pkg.takedownNotice;
      const problems: string[] = [];
      if (originalCert && t.work.sha256 !== originalCert.work.sha256) problems.push('names another work');
      if (originalCert && t.work.registrationNumber !== originalCert.work.registrationNumber) problems.push('names another registration');
      const owners = new Set(originalCert?.work.owners.map((o) => o.id) ?? []);
      if (!t.rightHolders.every((h) => owners.has(h.id))) problems.push('names a right holder who is not an owner in the certificate');
      if (suspectSha256 && t.infringingCopy.sha256 !== suspectSha256) problems.push('names another infringing copy');
      if (suspectLocation !== undefined && t.infringingCopy.location !== suspectLocation) problems.push('names another location for the copy');
      if (t.preliminaryProof.reportId !== pkg.report.id || t.preliminaryProof.evidenceSha256 !== pkg.report.evidenceSha256) problems.push('cites another report or other evidence');
      // What is sent is the text: it must be exactly what the checked fields give.
      const rebuilt = takedownNotice({
        issuedAt: new Date(t.issuedAt),
        reportId: t.preliminaryProof.reportId,
        status: t.preliminaryProof.status,
        rightHolders: t.rightHolders,
        work: t.work,
        infringingCopy: t.infringingCopy,
        match: { description: t.preliminaryProof.match, score: t.preliminaryProof.score, evidenceSha256: t.preliminaryProof.evidenceSha256 },
      });
      if (rebuilt.text !== t.text) problems.push('its text is not the one its fields give');
      check(
        'takedown notice',
        problems.length === 0,
        problems.length
          ? problems.join('; ')
          : "right holders, work, infringing copy and text are those of the certificates and the report (names and contacts are the registry's records)",
      );
    }
  } catch (error) {
    check('package', false, `malformed package: ${(error as Error).message}`);
  }
  return done();
}

function verifyConfirmation(
  pkg: EvidencePackage,
  options: VerifyEvidenceOptions,
  check: (name: string, ok: boolean, detail: string) => boolean,
  sides: { originalSha256?: string; originalId?: string; suspectSha256?: string; suspectId?: string; suspectLocation?: string },
): void {
  const c = pkg.confirmation!;
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(c.checkpoint, parseVerifierKey(options.verifierKey?.trim() || pkg.verifierKey));
  } catch (error) {
    check('confirmation on the ledger', false, `checkpoint: ${(error as Error).message}`);
    return;
  }
  const data = b64(c.entry.entry);
  let entry: LedgerEntry;
  try {
    entry = decodeEntry(data);
  } catch (error) {
    check('confirmation on the ledger', false, `entry: ${(error as Error).message}`);
    return;
  }
  const leaf = leafHash(data);
  const problems: string[] = [];
  if (entry.kind !== 'infringement.confirmed') problems.push(`the entry is ${entry.kind}`);
  if (entry.subject.id !== pkg.report.id) problems.push('the entry is about another report');
  if (Buffer.from(leaf).toString('base64') !== c.entry.leafHash) problems.push('leaf hash does not match the entry');
  const included =
    c.entry.inclusionProof.treeSize === checkpoint.size &&
    verifyInclusion(leaf, c.entry.ledgerIndex, checkpoint.size, c.entry.inclusionProof.hashes.map(b64), checkpoint.rootHash);
  if (!included) problems.push('inclusion proof does not lead to the signed checkpoint');
  if (metadataHash(c.metadata) !== entry.metadataHash) problems.push("the decision does not hash to the entry's metadataHash");
  const m = c.metadata;
  if (m.report !== pkg.report.id) problems.push('the decision names another report');
  if (m.match.evidenceSha256 !== pkg.report.evidenceSha256) problems.push('the decision commits to other similarity evidence');
  if (sides.originalSha256 && (m.original.sha256 !== sides.originalSha256 || m.original.id !== sides.originalId)) problems.push('the decision names another original');
  if (sides.suspectSha256 && (m.suspect.sha256 !== sides.suspectSha256 || m.suspect.id !== sides.suspectId)) problems.push('the decision names another suspect');
  if (sides.suspectLocation !== undefined && m.suspect.sourceUrl !== sides.suspectLocation) problems.push('the decision names another location for the copy');
  const confirmedEvent = [...pkg.history].reverse().find((e) => e.kind === 'status' && e.to === 'confirmed');
  if (!confirmedEvent || confirmedEvent.note !== m.decision.reason) problems.push('the history does not record this decision');
  if (!canonicalEqual(m.decision.status, 'confirmed')) problems.push('the decision is not a confirmation');
  check(
    'confirmation on the ledger',
    problems.length === 0,
    problems.length
      ? problems.join('; ')
      : `infringement.confirmed at ledger index ${c.entry.ledgerIndex} (${entry.integratedAt}) by officer ${m.decision.officer}, committing to both sides and the similarity evidence; checkpoint size ${checkpoint.size} signed`,
  );
}
