// The match step: finds the registered works a fingerprinted subject copies
// (or that copy it), verifies each candidate with the full comparison, and
// raises one report per pair.
//
// A registration is compared with the fingerprinted works of OTHER parties
// (no shared registrant or owner), earlier or later: whichever of two
// registrations is scanned second finds the pair, so two works registered at
// the same moment are not missed. The pair is oriented by ledger index: the
// earlier registration is the original (priority). A sighting is compared
// with every registered work; the work is the original.
import type { BlobStore } from '#blob-store';
import { estimateFingerprintJaccard, prepareImage, type ImageFingerprint, type PreparedImage } from '#fingerprint';
import { exactSimilarity, foldChineseVariants, imageSimilarity, needsPixels, textSimilarity, type SimilarityEvidence } from '#infringement';
import { exactCandidates, imageCandidateIds, loadImageFingerprints, textCandidates } from './candidate-index.js';
import { readStoredContent } from '../content/content-reader.js';
import { FingerprintScanner, fromStoredText, type FingerprintRecord } from './fingerprints.js';
import { ReportWriter, type DetectedPair } from './report-writer.js';
import { RetryLater, type ScanDb } from './scan-db.js';
import { loadSubject, loadWorks, type Subject, type SubjectKind, type WorkSubject } from './subjects.js';

export interface MatchOutcome {
  candidates: number;
  matches: number;
  reportsRaised: string[];
}

/** Text candidates whose signatures estimate a Jaccard below this are not compared in full. */
const SIGNATURE_FLOOR = 0.02;

/**
 * Near misses re-aligned on the pixels per scan, at most: each may read and
 * decode a stored image (tens of ms), and 0.15% of unrelated pairs are near
 * misses (IMAGE_THRESHOLDS.near, .nearPair; the index query applies the same
 * bounds), so a scan needs a handful at most; the cap keeps a crafted image
 * from costing thousands of decodes.
 */
const MAX_ALIGNMENTS = 16;

export class MatchScanner {
  private readonly fingerprints: FingerprintScanner;
  private readonly reports: ReportWriter;

  constructor(
    private readonly db: ScanDb,
    private readonly blobs: BlobStore,
  ) {
    this.fingerprints = new FingerprintScanner(db, blobs);
    this.reports = new ReportWriter(db);
  }

  async run(kind: SubjectKind, id: string): Promise<MatchOutcome> {
    const subject = await loadSubject(this.db.sql, kind, id);
    if (!subject) throw new RetryLater(`${kind} ${id} is not in the database (yet)`);
    if (subject.kind === 'work' && subject.status !== 'registered') return { candidates: 0, matches: 0, reportsRaised: [] };
    if (subject.kind === 'work' && subject.ledgerIndex === null) throw new RetryLater(`work ${id} is not integrated into the ledger yet`);
    const fp = await this.fingerprints.load(this.db.sql, kind, id);
    if (!fp) throw new RetryLater(`${kind} ${id} has no fingerprint yet`);

    const selfId = subject.kind === 'work' ? subject.id : null;
    const found = new Map<string, { media: DetectedPair['media']; matchKind: DetectedPair['matchKind']; compute: (orientedOriginal: WorkSubject, orientedSuspect: Subject) => Promise<Omit<DetectedPair, 'original' | 'suspect'> | null> }>();
    const decoded = new Map<string, Promise<PreparedImage | undefined>>(); // this scan's images, decoded once
    const alignments = { left: MAX_ALIGNMENTS };

    for (const workId of await exactCandidates(this.db.sql, subject.sha256, selfId)) {
      found.set(workId, { media: mediaOf(fp), matchKind: 'exact', compute: async () => exact(subject.sha256, fp) });
    }
    if (fp.data.media === 'text') {
      const query = fromStoredText(fp.data.text);
      const candidates = await textCandidates(this.db.sql, fp.data.text.bandKeys, selfId);
      const stored = await this.storedTexts(candidates.map((c) => c.workId));
      for (const c of candidates) {
        const other = stored.get(c.workId);
        if (!other || found.has(c.workId)) continue;
        if (estimateFingerprintJaccard(query, fromStoredText(other.fp)) < SIGNATURE_FLOOR) continue;
        found.set(c.workId, { media: 'text', matchKind: 'near', compute: (original) => this.compareTexts(subject, fp, c.workId, other.textSha256, original) });
      }
    } else if (fp.data.media === 'image') {
      const query = fp.data.image;
      const ids = await imageCandidateIds(this.db.sql, query);
      for (const c of await loadImageFingerprints(this.db.sql, ids)) {
        if (c.workId === selfId || found.has(c.workId)) continue;
        found.set(c.workId, { media: 'image', matchKind: 'near', compute: (original, suspect) => this.compareImages(subject, query, c.fingerprint, original, suspect, decoded, alignments) });
      }
    }

    const works = new Map((await loadWorks(this.db.sql, [...found.keys()])).map((w) => [w.id, w]));
    const outcome: MatchOutcome = { candidates: found.size, matches: 0, reportsRaised: [] };
    const failures: string[] = [];
    for (const [workId, candidate] of found) {
      const other = works.get(workId);
      if (!other || other.status !== 'registered') continue;
      let original: WorkSubject;
      let suspect: Subject;
      if (subject.kind === 'work') {
        if (other.parties.some((p) => subject.parties.includes(p))) continue; // the same party's own works
        if (other.ledgerIndex === null) continue; // its own scan will find this pair once it is integrated
        [original, suspect] = other.ledgerIndex < subject.ledgerIndex! ? [other, subject] : [subject, other];
      } else {
        original = other;
        suspect = subject;
      }
      // One pair that fails must not cost the others their reports: the rest
      // are raised, then the job fails and is retried (a report is raised
      // once per pair, so the retry adds only what failed).
      try {
        const result = await candidate.compute(original, suspect);
        if (!result) continue;
        outcome.matches++;
        const reportId = await this.reports.raise({ original, suspect, ...result });
        if (reportId) outcome.reportsRaised.push(reportId);
      } catch (error) {
        failures.push(`${workId}: ${(error as Error).message}`);
      }
    }
    if (failures.length) throw new Error(`${failures.length} of ${found.size} candidate pairs failed (${failures[0]}); the other pairs were reported`);
    return outcome;
  }

  private async storedTexts(workIds: string[]): Promise<Map<string, { fp: import('./fingerprints.js').StoredTextFingerprint; textSha256: string }>> {
    if (workIds.length === 0) return new Map();
    const rows = await this.db.sql<{ subject_id: string; data: { media: 'text'; text: import('./fingerprints.js').StoredTextFingerprint }; text_sha256: Buffer }>(
      `SELECT subject_id, data, text_sha256 FROM content_fingerprints WHERE subject_kind = 'work' AND subject_id = ANY($1::uuid[]) AND media = 'text'`,
      [workIds],
    );
    return new Map(rows.map((r) => [r.subject_id, { fp: r.data.text, textSha256: r.text_sha256.toString('hex') }]));
  }

  /**
   * Image pair, oriented original → suspect. Both images' pixels are read
   * only when the fingerprints leave the pair to them (needsPixels): a region
   * match to confirm, or a near miss to re-align (at most `alignments.left`
   * of those per scan).
   */
  private async compareImages(
    subject: Subject,
    query: ImageFingerprint,
    other: ImageFingerprint,
    original: WorkSubject,
    suspect: Subject,
    decoded: Map<string, Promise<PreparedImage | undefined>>,
    alignments: { left: number },
  ) {
    const [o, s] = suspect === subject ? [other, query] : [query, other];
    let result = imageSimilarity(o, s);
    if (needsPixels(o, s, result) && (result.matched || alignments.left-- > 0)) {
      const pixels = await this.pixels(original.sha256, suspect.sha256, decoded);
      if (pixels) result = imageSimilarity(o, s, pixels);
    }
    return result.matched ? { media: 'image' as const, matchKind: 'near' as const, score: result.score, scores: result.scores, evidence: result.evidence as SimilarityEvidence } : null;
  }

  /**
   * Both images decoded, or undefined when either is not in the content store.
   * `decoded` keeps this scan's decodings: the subject is one side of every pair.
   */
  private async pixels(originalSha256: string, suspectSha256: string, decoded: Map<string, Promise<PreparedImage | undefined>>): Promise<{ original: PreparedImage; suspect: PreparedImage } | undefined> {
    const read = (sha256: string) => {
      let image = decoded.get(sha256);
      if (!image) {
        image = readStoredContent(this.blobs, sha256).then((content) => (content?.kind === 'image' ? prepareImage(content.bytes) : undefined));
        decoded.set(sha256, image);
      }
      return image;
    };
    const [original, suspect] = await Promise.all([read(originalSha256), read(suspectSha256)]);
    return original && suspect ? { original, suspect } : undefined;
  }

  private async readText(sha256: string): Promise<string> {
    const { promises } = await import('node:fs');
    return promises.readFile(this.blobs.pathOf(sha256), 'utf8');
  }

  private async compareTexts(subject: Subject, fp: FingerprintRecord, otherId: string, otherTextSha256: string, original: WorkSubject) {
    const mine = { sha256: fp.textSha256!, text: await this.readText(fp.textSha256!) };
    const theirs = { sha256: otherTextSha256, text: await this.readText(otherTextSha256) };
    const subjectIsOriginal = subject.kind === 'work' && original.id === subject.id;
    const [o, s] = subjectIsOriginal ? [mine, theirs] : [theirs, mine];
    void otherId;
    const result = textSimilarity({ ...o, folded: foldChineseVariants(o.text) }, { ...s, folded: foldChineseVariants(s.text) });
    return result.matched ? { media: 'text' as const, matchKind: 'near' as const, score: result.score, scores: result.scores, evidence: result.evidence as SimilarityEvidence } : null;
  }
}

function mediaOf(fp: FingerprintRecord): DetectedPair['media'] {
  return fp.media === 'none' ? 'other' : fp.media;
}

function exact(sha256: string, fp: FingerprintRecord): Omit<DetectedPair, 'original' | 'suspect'> {
  const r = exactSimilarity(sha256);
  return { media: mediaOf(fp), matchKind: 'exact', score: r.score, scores: r.scores, evidence: r.evidence };
}
