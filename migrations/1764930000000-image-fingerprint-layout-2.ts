// Image fingerprints, layout 2 (issue 5, detection quality): the region
// grids got denser (4×4 windows of 90%, 5×5 of 80%; 46 regions instead of
// 30), so every region slot stored under layout 1 now means another window.
//
// Fingerprints and their index rows are derived data: they are dropped here
// and recomputed by the worker from the stored content, through the same
// outbox as a new registration or sighting (fingerprint, then match; a
// report exists once per pair, so matching again never duplicates one).
// Job ids get a suffix: BullMQ keeps completed jobs for a while and would
// ignore a job whose id it still holds.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImageFingerprintLayout21764930000000 implements MigrationInterface {
  name = 'ImageFingerprintLayout21764930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM image_hash_keys`);
    await db.query(`DELETE FROM image_fingerprints`);
    await db.query(`
      WITH stale AS (DELETE FROM content_fingerprints WHERE media = 'image' RETURNING subject_kind, subject_id)
      INSERT INTO outbox (job_name, payload, job_id)
      SELECT CASE subject_kind WHEN 'work' THEN 'fingerprint-work' ELSE 'fingerprint-sighting' END,
             CASE subject_kind WHEN 'work' THEN jsonb_build_object('workId', subject_id) ELSE jsonb_build_object('sightingId', subject_id) END,
             CASE subject_kind WHEN 'work' THEN 'fingerprint-work.' ELSE 'fingerprint-sighting.' END || subject_id || '.layout-2'
        FROM stale`);
  }

  async down(): Promise<void> {
    // Layout-1 fingerprints cannot be rebuilt by this code; the worker of the
    // older release recomputes them the same way if this is ever needed.
  }
}
