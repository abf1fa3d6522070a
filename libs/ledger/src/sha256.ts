// SHA-256 used by every ledger hash (Merkle leaves and nodes, note key ids).
import { hash } from 'node:crypto';

// Why node:crypto's one-shot `hash()` rather than createHash or @noble/hashes:
// measured on the 2-core dev box (Node 20.20, 1M calls each, ns per call):
//
//   input                         crypto.hash  createHash  noble sha256
//   1 byte                          579          949          780
//   33 bytes (0x00 || leaf)         568          969          793
//   65 bytes (0x01 || l || r)       588          987         1202
//   65 bytes copied into a reused   649         1013         1219
//     scratch buffer (nodeHash)
//
// crypto.hash skips the Hash object, so it is ~1.6x createHash and ~1.9x noble
// for node hashes. Allocating a fresh 65-byte array per hash costs ~300 ns,
// which is why merkle.ts copies inputs into a reused scratch buffer.
export function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}
