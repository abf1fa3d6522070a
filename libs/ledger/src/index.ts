// Public API of the ledger library: canonical JSON, RFC 9162 Merkle trees and
// proofs, the sequencer's incremental frontier, and C2SP signed checkpoints.
export { canonicalBytes, canonicalize } from './canonical-json.js';
export { EMPTY_ROOT, leafHash, merkleTreeHash, nodeHash } from './merkle.js';
export { type NodeId, type NodeReader, nodeKey, perfectSubtrees } from './tree-nodes.js';
export { consistencyProof, inclusionProof, rootAt, verifyConsistency, verifyInclusion } from './proofs.js';
export { frontierNodeIds, MerkleFrontier, type StoredNode } from './frontier.js';
export { CheckpointError, type CheckpointErrorReason } from './checkpoint-error.js';
export {
  createNoteSigner,
  generateSeed,
  isValidKeyName,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseVerifierKey,
  signNote,
  verifierKey,
} from './note-signer.js';
export { type Checkpoint, checkpointBody, openCheckpoint, parseCheckpointBody, signCheckpoint, signedByOtherKeysOnly } from './checkpoint.js';
export { sha256 } from './sha256.js';
export * from './ledger-entry.js';
