// Computes a subject's fingerprint and stores it with its index keys, and
// queues the match job in the same transaction (through the outbox). Running
// it twice stores nothing twice: the fingerprint row is the claim.
import { Readable } from 'node:stream';
import type { BlobStore } from '#blob-store';
import { imageFingerprint, signatureFromHex, signatureToHex, textFingerprint, type ImageFingerprint, type TextFingerprint } from '#fingerprint';
import { DETECTION_ALGORITHM, foldChineseVariants, hexToInt8, imageIndexRows, int8ToHex } from '#infringement';
import { enqueueJob, JobName } from '#queue';
import { readStoredContent, type ReadContent } from '../content/content-reader.js';
import { RetryLater, type ScanDb, type Sql } from './scan-db.js';
import { loadSubject, type SubjectKind } from './subjects.js';

export interface StoredTextFingerprint {
  scheme: 'word' | 'char';
  signature: string;
  shingleCount: number;
  alternate?: { scheme: 'word' | 'char'; signature: string; shingleCount: number };
  bandKeys: string[];
}

export type FingerprintData = { media: 'text'; text: StoredTextFingerprint } | { media: 'image'; image: ImageFingerprint } | { media: 'none' };

export interface FingerprintRecord {
  status: 'fingerprinted' | 'no_content' | 'unsupported';
  media: 'text' | 'image' | 'none';
  detail: string | null;
  extractor: string | null;
  textSha256: string | null;
  textChars: number | null;
  data: FingerprintData;
}

export function toStoredText(fp: TextFingerprint): StoredTextFingerprint {
  return {
    scheme: fp.scheme,
    signature: signatureToHex(fp.signature),
    shingleCount: fp.shingleCount,
    ...(fp.alternate ? { alternate: { scheme: fp.alternate.scheme, signature: signatureToHex(fp.alternate.signature), shingleCount: fp.alternate.shingleCount } } : {}),
    bandKeys: fp.bandKeys,
  };
}

export function fromStoredText(s: StoredTextFingerprint): TextFingerprint {
  return {
    scheme: s.scheme,
    signature: signatureFromHex(s.signature),
    shingleCount: s.shingleCount,
    bandKeys: s.bandKeys,
    ...(s.alternate ? { alternate: { scheme: s.alternate.scheme, signature: signatureFromHex(s.alternate.signature), shingleCount: s.alternate.shingleCount } } : {}),
  };
}

/** The match job of a subject; its id makes a repeated enqueue one job. */
/**
 * Queues the subject's match job under an id naming its fingerprint (the
 * time it was written): a redelivery of the same fingerprint is one job, but
 * a fingerprint written again (a migration that rebuilds a layout) matches
 * again. With the subject's id alone, BullMQ, which keeps completed jobs for
 * 7 days, silently dropped the new match of every subject scanned that week.
 */
async function queueMatch(sql: Sql, kind: SubjectKind, id: string): Promise<void> {
  const [fingerprint] = await sql<{ written: string }>(
    `SELECT (extract(epoch FROM created_at) * 1000)::bigint::text AS written FROM content_fingerprints WHERE subject_kind = $1 AND subject_id = $2`,
    [kind, id],
  );
  const generation = fingerprint ? `.${fingerprint.written}` : '';
  if (kind === 'work') await enqueueJob(sql, JobName.MatchWork, { workId: id }, `${JobName.MatchWork}.${id}${generation}`);
  else await enqueueJob(sql, JobName.MatchSighting, { sightingId: id }, `${JobName.MatchSighting}.${id}${generation}`);
}

export class FingerprintScanner {
  constructor(
    private readonly db: ScanDb,
    private readonly blobs: BlobStore,
  ) {}

  /** Fingerprints a subject (once) and queues its match job. */
  async run(kind: SubjectKind, id: string): Promise<FingerprintRecord> {
    const existing = await this.load(this.db.sql, kind, id);
    if (existing) {
      // Stored by an earlier run that may have died before its match job was relayed: queue it again (same job id).
      await queueMatch(this.db.sql, kind, id);
      return existing;
    }
    const subject = await loadSubject(this.db.sql, kind, id);
    if (!subject) throw new RetryLater(`${kind} ${id} is not in the database (yet)`);
    const record = await this.compute(subject.kind === 'work' && !subject.contentStored ? undefined : subject.sha256);
    await this.db.tx(async (sql) => {
      const [claimed] = await sql<{ subject_id: string }>(
        `INSERT INTO content_fingerprints (subject_kind, subject_id, status, media, detail, extractor, text_sha256, text_chars, data, algorithm)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING subject_id`,
        [
          kind,
          id,
          record.status,
          record.media,
          record.detail,
          record.extractor,
          record.textSha256 ? Buffer.from(record.textSha256, 'hex') : null,
          record.textChars,
          JSON.stringify(record.data),
          DETECTION_ALGORITHM,
        ],
      );
      if (claimed && kind === 'work') await this.index(sql, id, record.data);
      await queueMatch(sql, kind, id);
    });
    return record;
  }

  async load(sql: Sql, kind: SubjectKind, id: string): Promise<FingerprintRecord | undefined> {
    const [row] = await sql<{ status: FingerprintRecord['status']; media: FingerprintRecord['media']; detail: string | null; extractor: string | null; text_sha256: Buffer | null; text_chars: number | null; data: FingerprintData }>(
      'SELECT status, media, detail, extractor, text_sha256, text_chars, data FROM content_fingerprints WHERE subject_kind = $1 AND subject_id = $2',
      [kind, id],
    );
    if (!row) return undefined;
    return { status: row.status, media: row.media, detail: row.detail, extractor: row.extractor, textSha256: row.text_sha256?.toString('hex') ?? null, textChars: row.text_chars, data: row.data };
  }

  /** The fingerprint of content in the store (undefined sha256: a hash-only registration). */
  async compute(sha256: string | undefined): Promise<FingerprintRecord> {
    if (sha256 === undefined) return { status: 'no_content', media: 'none', detail: 'registered by hash only: matched by exact SHA-256', extractor: null, textSha256: null, textChars: null, data: { media: 'none' } };
    const content = await readStoredContent(this.blobs, sha256);
    if (!content) throw new RetryLater(`content ${sha256} is not in the content store`);
    return this.fromContent(content);
  }

  async fromContent(content: ReadContent): Promise<FingerprintRecord> {
    if (content.kind === 'unsupported') return { status: 'unsupported', media: 'none', detail: content.reason, extractor: null, textSha256: null, textChars: null, data: { media: 'none' } };
    if (content.kind === 'image') {
      let image: ImageFingerprint;
      try {
        image = await imageFingerprint(content.bytes);
      } catch (error) {
        return { status: 'unsupported', media: 'none', detail: `image could not be decoded: ${(error as Error).message.slice(0, 200)}`, extractor: null, textSha256: null, textChars: null, data: { media: 'none' } };
      }
      return { status: 'fingerprinted', media: 'image', detail: image.flat ? 'the image is (nearly) one colour: it matches nothing but itself' : null, extractor: 'sharp', textSha256: null, textChars: null, data: { media: 'image', image } };
    }
    // The extracted text is kept (content-addressed): passage offsets in reports point into it.
    const stored = await this.blobs.put(Readable.from([Buffer.from(content.text, 'utf8')]), Number.MAX_SAFE_INTEGER);
    const fp = textFingerprint(foldChineseVariants(content.text));
    return {
      status: 'fingerprinted',
      media: 'text',
      detail: content.truncated ? 'text longer than the fingerprinting limit: only its beginning was fingerprinted' : null,
      extractor: content.extractor,
      textSha256: stored.sha256,
      textChars: content.text.length,
      data: { media: 'text', text: toStoredText(fp) },
    };
  }

  /** Index rows for a registered work (sightings are looked up, never indexed). */
  private async index(sql: Sql, workId: string, data: FingerprintData): Promise<void> {
    if (data.media === 'text' && data.text.bandKeys.length) {
      const t = data.text;
      const [row] = await sql<{ id: number }>(
        `INSERT INTO text_fingerprints (work_id, scheme, signature, shingle_count, alt_scheme, alt_signature, alt_shingle_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [workId, t.scheme, Buffer.from(t.signature, 'hex'), t.shingleCount, t.alternate?.scheme ?? null, t.alternate ? Buffer.from(t.alternate.signature, 'hex') : null, t.alternate?.shingleCount ?? null],
      );
      await sql('INSERT INTO text_lsh_keys (band_key, text_id) SELECT k, $2 FROM unnest($1::bigint[]) AS k', [[...new Set(t.bandKeys)].map(hexToInt8), row!.id]);
    } else if (data.media === 'image') {
      const fp = data.image;
      const [row] = await sql<{ id: number }>(
        `INSERT INTO image_fingerprints (work_id, global, mirrored, regions, width, height, flat) VALUES ($1, $2, $3, $4::bigint[], $5, $6, $7) RETURNING id`,
        [workId, hexToInt8(fp.global), hexToInt8(fp.mirrored), fp.regions.map((h) => (h ? hexToInt8(h) : null)), fp.width, fp.height, fp.flat],
      );
      const rows = imageIndexRows(fp);
      if (rows.length) {
        await sql('INSERT INTO image_hash_keys (chunk_key, hash, image_id, slot) SELECT k, h, $3, s FROM unnest($1::int[], $2::bigint[], $4::int2[]) AS t(k, h, s)', [
          rows.map((r) => r.chunkKey),
          rows.map((r) => r.hash),
          row!.id,
          rows.map((r) => r.slot),
        ]);
      }
    }
  }
}

/** An image fingerprint row as stored (signed int8 hashes) → the library's form. */
export function imageFromRow(row: { global: string; mirrored: string; regions: Array<string | null>; width: number; height: number; flat: boolean }): ImageFingerprint {
  return {
    global: int8ToHex(row.global),
    mirrored: int8ToHex(row.mirrored),
    regions: row.regions.map((h) => (h === null ? '' : int8ToHex(h))),
    width: row.width,
    height: row.height,
    flat: row.flat,
  };
}
