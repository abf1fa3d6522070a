// Index lookups in PostgreSQL: no scan over every work. Exact duplicates by
// SHA-256 (B-tree), text by shared LSH band keys, images by multi-index
// hashing with the Hamming check inside the index-only scan.
import { DEFAULT_PROBES, hexToInt8, imageProbePlan, splitProbePlan, type ProbePlan, type ProbeSpecs } from '#infringement';
import type { ImageFingerprint } from '#fingerprint';
import type { Sql } from './scan-db.js';
import { imageFromRow } from './fingerprints.js';

/** Most text candidates verified per lookup (those sharing the most band keys). */
export const MAX_TEXT_CANDIDATES = 50;
/** Most image candidates verified per lookup. */
export const MAX_IMAGE_CANDIDATES = 200;

export async function exactCandidates(sql: Sql, sha256: string, excludeWorkId: string | null): Promise<string[]> {
  const rows = await sql<{ id: string }>(`SELECT id FROM works WHERE sha256 = $1 AND status = 'registered' AND id IS DISTINCT FROM $2 ORDER BY created_at, id LIMIT 100`, [
    Buffer.from(sha256, 'hex'),
    excludeWorkId,
  ]);
  return rows.map((r) => r.id);
}

export async function textCandidates(sql: Sql, bandKeys: string[], excludeWorkId: string | null, limit = MAX_TEXT_CANDIDATES): Promise<Array<{ workId: string; shared: number }>> {
  if (bandKeys.length === 0) return [];
  const rows = await sql<{ work_id: string; shared: number }>(
    `SELECT f.work_id, count(*)::int AS shared
       FROM text_lsh_keys k JOIN text_fingerprints f ON f.id = k.text_id
      WHERE k.band_key = ANY($1::bigint[]) AND f.work_id IS DISTINCT FROM $2
      GROUP BY f.work_id ORDER BY shared DESC, f.work_id LIMIT $3`,
    [[...new Set(bandKeys)].map(hexToInt8), excludeWorkId, limit],
  );
  return rows.map((r) => ({ workId: r.work_id, shared: r.shared }));
}

/**
 * Image ids with at least one indexed hash within the threshold of a probe.
 * The plan runs as two queries side by side on two pooled connections, each
 * with alternate keys (the same share of every kind of probe): a lookup takes
 * about half the time on an idle server.
 */
export async function imageCandidateIds(sql: Sql, query: ImageFingerprint, specs: ProbeSpecs = DEFAULT_PROBES): Promise<number[]> {
  const parts = await Promise.all(splitProbePlan(imageProbePlan(query, specs), 2).map((plan) => probeIndex(sql, plan)));
  return [...new Set(parts.flat())].slice(0, MAX_IMAGE_CANDIDATES);
}

/** The image ids one probe plan finds (one query). */
export async function probeIndex(sql: Sql, plan: ProbePlan): Promise<number[]> {
  if (plan.keys.length === 0) return [];
  const rows = await sql<{ image_id: number }>(
    `SELECT DISTINCT k.image_id
       FROM unnest($1::int[], $2::bigint[], $3::int[]) AS p(key, q, maxd)
       JOIN image_hash_keys k ON k.chunk_key = p.key
      WHERE bit_count((k.hash # p.q)::bit(64)) <= p.maxd
      LIMIT ${MAX_IMAGE_CANDIDATES}`,
    [plan.keys, plan.hashes, plan.maxDistances],
  );
  return rows.map((r) => r.image_id);
}

export async function loadImageFingerprints(sql: Sql, imageIds: number[]): Promise<Array<{ workId: string; fingerprint: ImageFingerprint }>> {
  if (imageIds.length === 0) return [];
  const rows = await sql<{ work_id: string; global: string; mirrored: string; regions: Array<string | null>; width: number; height: number; flat: boolean }>(
    'SELECT work_id, global, mirrored, regions, width, height, flat FROM image_fingerprints WHERE id = ANY($1::int[])',
    [imageIds],
  );
  return rows.map((r) => ({ workId: r.work_id, fingerprint: imageFromRow(r) }));
}
