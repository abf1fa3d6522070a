import { canonicalSha256 } from './confirmation.js';
import { EVIDENCE_FORMAT, isEvidencePackage, verifyEvidencePackage } from './evidence-package.js';

describe('verifyEvidencePackage', () => {
  it('refuses what is not an evidence package, without throwing', () => {
    expect(verifyEvidencePackage(null)).toEqual({ ok: false, checks: [expect.objectContaining({ name: 'package format', ok: false })] });
    expect(verifyEvidencePackage({ format: EVIDENCE_FORMAT, version: 2 }).checks[0]!.detail).toMatch(/unsupported version/);
    expect(verifyEvidencePackage({ format: EVIDENCE_FORMAT, version: 1 }).ok).toBe(false);
    expect(isEvidencePackage({ format: EVIDENCE_FORMAT })).toBe(true);
    expect(isEvidencePackage({ format: 'copyright-ledger/registration-certificate' })).toBe(false);
  });

  it('fails every check of a package whose certificates and evidence do not hold, and names them', () => {
    const similarity = { method: 'sha256', sha256: 'a'.repeat(64) };
    const result = verifyEvidencePackage({
      format: EVIDENCE_FORMAT,
      version: 1,
      issuedAt: new Date().toISOString(),
      issuer: 'test',
      verifierKey: 'x',
      report: { id: 'r', status: 'open', evidenceSha256: canonicalSha256({ ...similarity, sha256: 'b'.repeat(64) }) },
      original: { certificate: { format: 'nope' } },
      suspect: { kind: 'sighting', sighting: { id: 's', sha256: 'a'.repeat(64), sourceUrl: 'https://x.example', platform: 'x', seenAt: new Date().toISOString(), reportedBy: { partyId: 'p', role: 'officer' }, timeStamp: null } },
      similarity,
      history: [{ at: new Date().toISOString(), kind: 'detected', from: null, to: 'open', actor: { kind: 'system' }, note: null, details: null }],
      confirmation: null,
      takedownNotice: null,
      statement: [],
    });
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(['original: certificate format', 'suspect: sighting time-stamp', 'priority', 'similarity evidence hash']));
    expect(result.checks.find((c) => c.name === 'history')?.ok).toBe(true);
  });
});
