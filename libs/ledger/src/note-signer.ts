// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys: signing,
// verifier keys, and opening a note against one pinned key.
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { CheckpointError } from './checkpoint-error.js';
import { sha256 } from './sha256.js';

const ALG_ED25519 = 0x01;
// DER prefixes that wrap a raw 32-byte Ed25519 seed / public key, since
// node:crypto imports raw Ed25519 keys only as PKCS#8 / SPKI.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
// Go's note.Open limit; C2SP requires accepting at least 16.
const MAX_SIGNATURES = 100;

export interface NoteSigner {
  readonly name: string;
  /** 4-byte key id: SHA-256(name || "\n" || 0x01 || publicKey)[:4]. */
  readonly keyId: Uint8Array;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** Raw 64-byte Ed25519 signature of `message`. */
  sign(message: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** C2SP key names are non-empty with no Unicode spaces and no '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && !/\p{Surrogate}/u.test(name);
}

function keyIdOf(name: string, publicKey: Uint8Array): Uint8Array {
  const input = Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.of(ALG_ED25519), publicKey]);
  return sha256(input).slice(0, 4);
}

/** Standard base64 decoding that accepts only the canonical encoding (no whitespace, exact padding). */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A fresh random 32-byte Ed25519 seed (the private key). */
export function generateSeed(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** A note signer named `name` from a raw 32-byte Ed25519 seed. */
export function createNoteSigner(name: string, seed32: Uint8Array): NoteSigner {
  if (!isValidKeyName(name)) throw new Error(`invalid note key name ${JSON.stringify(name)}: must be non-empty, without spaces or '+'`);
  if (seed32.length !== 32) throw new Error(`Ed25519 seed must be 32 bytes, got ${seed32.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed32]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  return {
    name,
    keyId: keyIdOf(name, publicKey),
    publicKey,
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** The C2SP verifier key string `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export function verifierKey(signer: Pick<NoteSigner, 'name' | 'publicKey'>): string {
  const { name, publicKey } = signer;
  return `${name}+${toHex(keyIdOf(name, publicKey))}+${toBase64(Buffer.concat([Buffer.of(ALG_ED25519), publicKey]))}`;
}

/** Parses a verifier key string; throws an Error if it is malformed, not Ed25519, or its key id does not match. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const invalid = (why: string): never => {
    throw new Error(`invalid verifier key ${JSON.stringify(vkey)}: ${why}`);
  };
  // The base64 key itself may contain '+', so split only at the first two.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) return invalid('expected <name>+<key id>+<key>');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const key = decodeBase64Strict(vkey.slice(second + 1));
  if (!isValidKeyName(name)) return invalid('bad key name');
  if (!/^[0-9a-f]{8}$/i.test(idHex)) return invalid('key id must be 8 hex digits');
  if (!key || key.length === 0) return invalid('key is not base64');
  if (key[0] !== ALG_ED25519) return invalid(`unsupported algorithm 0x${key[0]!.toString(16)}`);
  if (key.length !== 33) return invalid('Ed25519 public key must be 32 bytes');
  const publicKey = key.subarray(1);
  const keyId = keyIdOf(name, publicKey);
  if (toHex(keyId) !== idHex.toLowerCase()) return invalid('key id does not match name and key');
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    return invalid('not an Ed25519 public key');
  }
  return {
    name,
    keyId,
    publicKey,
    verify: (message, signature) => {
      try {
        return signature.length === 64 && verify(null, message, keyObject, signature);
      } catch {
        return false;
      }
    },
  };
}

/** Signs `text` (which must end in "\n") as a note carrying one signature line. */
export function signNote(signer: NoteSigner, text: string): string {
  if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  return `${text}\n\u2014 ${signer.name} ${toBase64(Buffer.concat([signer.keyId, signature]))}\n`;
}

/**
 * Verifies a signed note against one pinned key and returns its text
 * (including the final newline). Signatures from other keys are ignored, as
 * C2SP requires; every signature from the pinned key must verify.
 * Throws CheckpointError MALFORMED, UNKNOWN_KEY or BAD_SIGNATURE.
 */
export function openNote(note: string, key: string | NoteVerifier): string {
  const verifier = typeof key === 'string' ? parseVerifierKey(key) : key;
  const malformed = (why: string): never => {
    throw new CheckpointError('MALFORMED', why);
  };
  if (/\p{Surrogate}/u.test(note)) malformed('note is not valid Unicode');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) malformed('note contains control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) malformed('signature block must be non-empty and end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) malformed(`more than ${MAX_SIGNATURES} signatures`);

  const message = Buffer.from(text, 'utf8');
  let verified = 0;
  for (const line of lines) {
    const match = /^\u2014 ([^ ]+) ([^ ]+)$/u.exec(line);
    const bytes = match ? decodeBase64Strict(match[2]!) : undefined;
    if (!match || !isValidKeyName(match[1]!) || !bytes || bytes.length < 5) {
      return malformed(`bad signature line ${JSON.stringify(line)}`);
    }
    const known = match[1] === verifier.name && Buffer.compare(bytes.subarray(0, 4), verifier.keyId) === 0;
    if (!known) continue; // someone else's key (e.g. a witness): not ours to judge
    if (!verifier.verify(message, bytes.subarray(4))) {
      throw new CheckpointError('BAD_SIGNATURE', `signature by ${verifier.name}+${toHex(verifier.keyId)} does not verify`);
    }
    verified++;
  }
  if (verified === 0) {
    throw new CheckpointError('UNKNOWN_KEY', `no signature by ${verifier.name}+${toHex(verifier.keyId)}`);
  }
  return text;
}
