// C2SP signed notes against the vectors of golang.org/x/mod/sumdb/note
// (note_test.go: TestNewVerifier, TestSign, TestOpen).
import { CheckpointError, type CheckpointErrorReason } from './checkpoint-error.js';
import { createNoteSigner, generateSeed, isValidKeyName, openNote, parseVerifierKey, signNote, verifierKey } from './note-signer.js';

const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY_B64 = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // from PRIVATE+KEY+PeterNeumann+c74f20a3+...
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const peterSeed = new Uint8Array(Buffer.from(PETER_SKEY_B64, 'base64').subarray(1)); // drop the 0x01 algorithm byte

function reasonOf(run: () => unknown): CheckpointErrorReason | 'no error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    if (error instanceof CheckpointError) return error.reason;
    throw error;
  }
}

describe('Go sumdb/note vectors', () => {
  it('derives the same key id, verifier key and signature as Go from the PeterNeumann seed', () => {
    const signer = createNoteSigner('PeterNeumann', peterSeed);
    expect(Buffer.from(signer.keyId).toString('hex')).toBe('c74f20a3');
    expect(verifierKey(signer)).toBe(PETER_VKEY);
    expect(signNote(signer, TEXT)).toBe(`${TEXT}\n${PETER_SIG}`); // Ed25519 is deterministic
  });

  it('parses the Go verifier keys', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(peter.name).toBe('PeterNeumann');
    expect(Buffer.from(peter.keyId).toString('hex')).toBe('c74f20a3');
    expect(verifierKey(peter)).toBe(PETER_VKEY);
    expect(Buffer.from(parseVerifierKey(ENOCH_VKEY).keyId).toString('hex')).toBe('af0cfe78');
  });

  it('rejects every truncation and every single-character change of a verifier key (TestNewVerifier)', () => {
    const accepted: string[] = [];
    const tryKey = (key: string) => {
      try {
        parseVerifierKey(key);
        accepted.push(key);
      } catch {
        /* expected */
      }
    };
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) if (i !== 0 || j !== PETER_VKEY.length) tryKey(PETER_VKEY.slice(i, j));
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      tryKey(PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1));
    }
    tryKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='); // wrong length, adjusted id
    tryKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'); // unknown algorithm, adjusted id
    expect(accepted).toEqual([]);
  });

  it('opens a note signed by the pinned key and ignores other keys (TestOpen)', () => {
    expect(openNote(TEXT + '\n' + PETER_SIG + ENOCH_SIG, PETER_VKEY)).toBe(TEXT);
    expect(openNote(TEXT + '\n' + PETER_SIG + ENOCH_SIG, ENOCH_VKEY)).toBe(TEXT);
    expect(openNote(TEXT + '\n' + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG, PETER_VKEY)).toBe(TEXT);
  });

  it('reports UNKNOWN_KEY when the pinned key did not sign, even if name or id match another line', () => {
    expect(reasonOf(() => openNote(TEXT + '\n' + ENOCH_SIG, PETER_VKEY))).toBe('UNKNOWN_KEY');
    const misnamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    expect(reasonOf(() => openNote(TEXT + '\n' + misnamed, PETER_VKEY))).toBe('UNKNOWN_KEY');
    const wrongId = PETER_SIG.replace('x08g', 'xxxx');
    expect(reasonOf(() => openNote(TEXT + '\n' + wrongId, PETER_VKEY))).toBe('UNKNOWN_KEY');
  });

  it('reports BAD_SIGNATURE for a corrupted signature or text from the pinned key', () => {
    const at = PETER_SIG.indexOf(' ', 2) + 20;
    const corrupted = PETER_SIG.slice(0, at) + 'ABCD' + PETER_SIG.slice(at);
    expect(reasonOf(() => openNote(TEXT + '\n' + corrupted, PETER_VKEY))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => openNote(TEXT.replace('answer', 'Answer') + '\n' + PETER_SIG, PETER_VKEY))).toBe('BAD_SIGNATURE');
    // A bad signature from the pinned key spoils the note even next to a good one.
    expect(reasonOf(() => openNote(TEXT + '\n' + PETER_SIG + corrupted, PETER_VKEY))).toBe('BAD_SIGNATURE');
  });

  it.each([
    ['text only', TEXT],
    ['no signature lines', TEXT + '\n'],
    ['no final newline', TEXT + '\n' + PETER_SIG.slice(0, -1)],
    ['a control character', '\u0001' + TEXT + '\n' + PETER_SIG],
    ['a lone surrogate', '\ud800' + TEXT + '\n' + PETER_SIG],
    ['a name with a space', TEXT + '\n' + PETER_SIG.replace('PeterNeumann', 'Bad Name')],
    ['a trailing line', TEXT + '\n' + PETER_SIG + 'Unexpected line.\n'],
    ['non-canonical base64', TEXT + '\n' + PETER_SIG.replace('AM=', 'AN=')],
    ['101 signatures', TEXT + '\n' + PETER_SIG.repeat(101)],
  ])('reports MALFORMED for %s', (_case, note) => {
    expect(reasonOf(() => openNote(note, PETER_VKEY))).toBe('MALFORMED');
  });
});

describe('note signer', () => {
  it('round-trips with a generated seed and a name that is a URL', () => {
    const seed = generateSeed();
    expect(seed).toHaveLength(32);
    expect(Buffer.from(seed).equals(Buffer.from(generateSeed()))).toBe(false);
    const signer = createNoteSigner('ledger.example/log', seed);
    const note = signNote(signer, 'hello\n');
    expect(note).toMatch(/^hello\n\n\u2014 ledger\.example\/log [A-Za-z0-9+/]{91}=\n$/);
    expect(openNote(note, verifierKey(signer))).toBe('hello\n');
    expect(reasonOf(() => openNote(note, verifierKey(createNoteSigner('ledger.example/log', generateSeed()))))).toBe('UNKNOWN_KEY');
  });

  it('validates names, seeds and text', () => {
    for (const bad of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2028b']) expect(isValidKeyName(bad)).toBe(false);
    expect(isValidKeyName('example.com/log42')).toBe(true);
    expect(() => createNoteSigner('a+b', generateSeed())).toThrow(/invalid note key name/);
    expect(() => createNoteSigner('ok', new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => signNote(createNoteSigner('ok', generateSeed()), 'no newline')).toThrow(/end with a newline/);
  });

  it('CheckpointError carries its reason, name and message', () => {
    const error = new CheckpointError('BAD_SIGNATURE', 'nope');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.reason, error.message]).toEqual(['CheckpointError', 'BAD_SIGNATURE', 'BAD_SIGNATURE: nope']);
  });
});
