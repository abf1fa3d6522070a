// Index lookups in PostgreSQL: no scan over every work. Exact duplicates by
// SHA-256 (B-tree), text by shared LSH band keys, images by multi-index
// hashing with the Hamming check inside the index-only scan.
import { DEFAULT_PROBES, hexToInt8, imageProbePlan, nearMissNeighbours, splitProbePlan, type ProbePlan, type ProbeSpecs } from '#infringement';
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
  return planCandidateIds(sql, imageProbePlan(query, specs));
}

/** imageCandidateIds for a plan made elsewhere (benchmark variants): two queries side by side, best first. */
export async function planCandidateIds(sql: Sql, plan: ProbePlan): Promise<number[]> {
  const parts = await Promise.all(splitProbePlan(plan, 2).map((part) => rankedProbe(sql, part)));
  return bestFirst(parts.flat());
}

/** The image ids one probe plan finds (one query), best first. */
export async function probeIndex(sql: Sql, plan: ProbePlan): Promise<number[]> {
  return bestFirst(await rankedProbe(sql, plan));
}

/** Image ids by their best margin (distance minus the probe's strict distance), each once, at most MAX_IMAGE_CANDIDATES. */
function bestFirst(hits: Array<{ image_id: number; margin: number }>): number[] {
  const ids = [...hits].sort((a, b) => a.margin - b.margin).map((h) => h.image_id);
  return [...new Set(ids)].slice(0, MAX_IMAGE_CANDIDATES);
}

const NEAR_MISS = nearMissNeighbours();

/**
 * The images one probe plan finds, with their best margin. A near-miss row
 * (beyond its probe's strict distance) counts only when a neighbouring
 * window of the same image is near the query too, read from
 * image_fingerprints for those few rows. Images are ranked by margin, so
 * chance near misses never push a close match past the limit.
 */
async function rankedProbe(sql: Sql, plan: ProbePlan): Promise<Array<{ image_id: number; margin: number }>> {
  if (plan.keys.length === 0) return [];
  return sql<{ image_id: number; margin: number }>(
    `WITH hits AS (
       SELECT k.image_id, k.slot, p.q, p.strict, bit_count((k.hash # p.q)::bit(64)) AS d
         FROM unnest($1::int[], $2::bigint[], $3::int[], $4::int[]) AS p(key, q, maxd, strict)
         JOIN image_hash_keys k ON k.chunk_key = p.key
        WHERE bit_count((k.hash # p.q)::bit(64)) <= p.maxd
     )
     SELECT h.image_id, min(h.d - h.strict)::int AS margin
       FROM hits h
      WHERE h.d <= h.strict
         OR EXISTS (SELECT 1 FROM image_fingerprints f JOIN unnest($5::int[], $6::int[]) AS nb(slot, neighbour) ON nb.slot = h.slot
                     WHERE f.id = h.image_id AND h.d + bit_count((f.regions[nb.neighbour + 1] # h.q)::bit(64)) <= $7)
      GROUP BY h.image_id
      ORDER BY margin, h.image_id
      LIMIT ${MAX_IMAGE_CANDIDATES}`,
    [plan.keys, plan.hashes, plan.maxDistances, plan.strictDistances, NEAR_MISS.slots, NEAR_MISS.neighbours, NEAR_MISS.maxSum],
  );
}

export async function loadImageFingerprints(sql: Sql, imageIds: number[]): Promise<Array<{ workId: string; fingerprint: ImageFingerprint }>> {
  if (imageIds.length === 0) return [];
  const rows = await sql<{ work_id: string; global: string; mirrored: string; regions: Array<string | null>; width: number; height: number; flat: boolean }>(
    'SELECT work_id, global, mirrored, regions, width, height, flat FROM image_fingerprints WHERE id = ANY($1::int[])',
    [imageIds],
  );
  return rows.map((r) => ({ workId: r.work_id, fingerprint: imageFromRow(r) }));
}
