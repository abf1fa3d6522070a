// Splits the indexed grid windows into two key spaces: 90% windows (slots
// 0..15, class 1, unchanged) and 80% windows (slots 16..40, now class 4), so
// a lookup can probe the 80% windows (20% crops, which sit further from their
// window) with more keys than the 90% windows. Keys are class · 2^18 + chunk
// key (libs/infringement image-index.ts); the numbers are written out because
// a shipped migration must not follow later edits of that code.
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SPAN = 262144;

export class ImageGridClasses1764960000000 implements MigrationInterface {
  name = 'ImageGridClasses1764960000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE image_hash_keys SET chunk_key = chunk_key + ${3 * SPAN} WHERE chunk_key >= ${SPAN} AND chunk_key < ${2 * SPAN} AND slot BETWEEN 16 AND 40`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE image_hash_keys SET chunk_key = chunk_key - ${3 * SPAN} WHERE chunk_key >= ${4 * SPAN} AND chunk_key < ${5 * SPAN}`);
  }
}
