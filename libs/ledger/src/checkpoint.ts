// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed tree head
// a client pins, as an Ed25519 signed note.
import { CheckpointError } from './checkpoint-error.js';
import { decodeBase64Strict, type NoteSigner, type NoteVerifier, openNote, signNote } from './note-signer.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
}

/** The note text `<origin>\n<size>\n<base64 root>\n`; throws on values it cannot carry. */
export function checkpointBody({ origin, size, rootHash }: Checkpoint): string {
  if (origin === '' || /[\u0000-\u001f]/.test(origin)) throw new Error('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`checkpoint size must be a non-negative integer, got ${size}`);
  if (rootHash.length !== 32) throw new Error(`checkpoint root hash must be 32 bytes, got ${rootHash.length}`);
  return `${origin}\n${size}\n${Buffer.from(rootHash).toString('base64')}\n`;
}

/**
 * Parses a checkpoint body. Extension lines are rejected: our log never writes
 * them and C2SP notes they are not auditable, so a body carrying them is not ours.
 */
export function parseCheckpointBody(text: string): Checkpoint {
  const malformed = (why: string): never => {
    throw new CheckpointError('MALFORMED', why);
  };
  const lines = text.split('\n');
  if (lines.length !== 4 || lines[3] !== '') malformed('checkpoint must be exactly origin, size and root hash lines');
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '') malformed('empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) malformed(`tree size ${JSON.stringify(sizeText)} is not a decimal without leading zeros`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) malformed(`tree size ${sizeText} is too large`);
  const rootHash = decodeBase64Strict(rootText);
  if (!rootHash || rootHash.length !== 32) malformed('root hash is not base64 of 32 bytes');
  return { origin, size, rootHash: rootHash! };
}

/** The signed checkpoint note for a tree head. */
export function signCheckpoint(signer: NoteSigner, checkpoint: Checkpoint): string {
  return signNote(signer, checkpointBody(checkpoint));
}

/**
 * Verifies `noteText` carries a valid signature from the pinned key `vkey` and
 * returns the checkpoint it states. Throws CheckpointError (MALFORMED,
 * UNKNOWN_KEY, BAD_SIGNATURE); a malformed `vkey` itself is a plain Error.
 */
export function openCheckpoint(noteText: string, vkey: string | NoteVerifier): Checkpoint {
  return parseCheckpointBody(openNote(noteText, vkey));
}

/**
 * Whether `noteText` bears no signature by `vkey` at all (UNKNOWN_KEY): the
 * key is the wrong one, or the note was replaced. A bad signature by `vkey`
 * itself, or a malformed note, is not this: that is tampering.
 */
export function signedByOtherKeysOnly(noteText: string, vkey: string | NoteVerifier): boolean {
  try {
    openCheckpoint(noteText, vkey);
    return false;
  } catch (error) {
    return error instanceof CheckpointError && error.reason === 'UNKNOWN_KEY';
  }
}
