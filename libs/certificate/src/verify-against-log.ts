// The online part of verification (`verify --log`): is the certificate's
// checkpoint a prefix of the log's latest one (a forked or rewritten log is
// caught), and has anything been recorded about the work since the
// certificate was issued? The caller fetches; this only checks. Never throws.
import { CheckpointError, type Checkpoint, decodeEntry, leafHash, openCheckpoint, verifyConsistency, verifyInclusion } from '#ledger';
import type { CertificateCheck } from './verify-certificate.js';
import type { PublicRegistration } from './public-registration.js';

export interface LogState {
  /** The log's latest checkpoint note (GET /v1/ledger/checkpoint). */
  checkpointNote: string;
  /** Base64 consistency proof from the certificate's tree size to the latest (GET /v1/ledger/proof/consistency). */
  consistencyProof: string[];
  /** The work as the public verification API shows it now, proved against the same latest checkpoint. */
  registration?: PublicRegistration;
}

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export function verifyAgainstLog(certificateCheckpoint: Checkpoint, certificateIndexes: number[], log: LogState, verifierKey: string): CertificateCheck[] {
  const checks: CertificateCheck[] = [];
  let latest: Checkpoint;
  try {
    latest = openCheckpoint(log.checkpointNote, verifierKey);
    checks.push({ name: 'log checkpoint signature', ok: true, detail: `latest tree size ${latest.size}` });
  } catch (error) {
    const why = error instanceof CheckpointError ? error.message : (error as Error).message;
    checks.push({ name: 'log checkpoint signature', ok: false, detail: why });
    return checks;
  }
  if (latest.origin !== certificateCheckpoint.origin) {
    checks.push({ name: 'log consistency', ok: false, detail: `the log's origin is "${latest.origin}", the certificate's "${certificateCheckpoint.origin}"` });
    return checks;
  }
  if (latest.size < certificateCheckpoint.size) {
    checks.push({ name: 'log consistency', ok: false, detail: `the log is smaller (${latest.size}) than the certificate's tree (${certificateCheckpoint.size}): it was rolled back or forked` });
    return checks;
  }
  const consistent = verifyConsistency(certificateCheckpoint.size, latest.size, log.consistencyProof.map(fromBase64), certificateCheckpoint.rootHash, latest.rootHash);
  checks.push({
    name: 'log consistency',
    ok: consistent,
    detail: consistent
      ? `the certificate's tree (size ${certificateCheckpoint.size}) is a prefix of the log's (size ${latest.size})`
      : `the log's tree of size ${latest.size} does not extend the certificate's tree of size ${certificateCheckpoint.size}: the log forked or was rewritten`,
  });

  const registration = log.registration;
  if (!registration) {
    checks.push({ name: 'current status', ok: false, detail: 'the log does not know this work' });
    return checks;
  }
  const later: string[] = [];
  let withdrawn: string | undefined;
  for (const item of registration.entries) {
    const data = fromBase64(item.entry);
    const included =
      item.inclusionProof.treeSize === latest.size &&
      verifyInclusion(leafHash(data), item.ledgerIndex, latest.size, item.inclusionProof.hashes.map(fromBase64), latest.rootHash);
    if (!included) {
      checks.push({ name: 'current status', ok: false, detail: `the log's entry ${item.ledgerIndex} does not verify against its own checkpoint` });
      return checks;
    }
    if (certificateIndexes.includes(item.ledgerIndex)) continue;
    let entry;
    try {
      entry = decodeEntry(data);
    } catch (error) {
      checks.push({ name: 'current status', ok: false, detail: `the log's entry ${item.ledgerIndex} is malformed: ${(error as Error).message}` });
      return checks;
    }
    later.push(`${entry.kind} at index ${item.ledgerIndex} (${entry.integratedAt})`);
    if (entry.kind === 'work.withdrawn') withdrawn = entry.integratedAt;
  }
  const missing = certificateIndexes.filter((index) => !registration.entries.some((e) => e.ledgerIndex === index));
  if (missing.length) {
    checks.push({ name: 'current status', ok: false, detail: `the log no longer lists entries ${missing.join(', ')} for this work` });
  } else if (withdrawn) {
    checks.push({ name: 'current status', ok: false, detail: `the registration was withdrawn at ${withdrawn}, after this certificate was issued` });
  } else {
    checks.push({
      name: 'current status',
      ok: true,
      detail: `${registration.status}${later.length ? `; recorded since the certificate: ${later.join(', ')}` : '; nothing recorded since the certificate'}`,
    });
  }
  return checks;
}
