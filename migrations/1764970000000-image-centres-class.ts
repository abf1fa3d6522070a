// Moves the indexed centre hashes (slot 41, class 2) into the key space of
// the rotated centres (slots 42..45, class 3): a lookup probes both with the
// same query hash (its centre) and the same keys, so one key space saves a
// B-tree descent per key, about 68 per lookup. Keys are class · 2^18 + chunk
// key (libs/infringement image-index.ts); the numbers are written out because
// a shipped migration must not follow later edits of that code.
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SPAN = 262144;
const CENTRE_SLOT = 41;

export class ImageCentresClass1764970000000 implements MigrationInterface {
  name = 'ImageCentresClass1764970000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE image_hash_keys SET chunk_key = chunk_key + ${SPAN} WHERE chunk_key >= ${2 * SPAN} AND chunk_key < ${3 * SPAN}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE image_hash_keys SET chunk_key = chunk_key - ${SPAN} WHERE chunk_key >= ${3 * SPAN} AND chunk_key < ${4 * SPAN} AND slot = ${CENTRE_SLOT}`);
  }
}
