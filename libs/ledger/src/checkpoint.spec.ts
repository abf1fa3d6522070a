// C2SP tlog-checkpoints: a real sum.golang.org checkpoint, body parsing rules
// and the sign/open round trip.
import { CheckpointError, type CheckpointErrorReason } from './checkpoint-error.js';
import { checkpointBody, openCheckpoint, parseCheckpointBody, signCheckpoint } from './checkpoint.js';
import { createNoteSigner, generateSeed, signNote, verifierKey } from './note-signer.js';

// The Go checksum database key (cmd/go's built-in GOSUMDB key) and a checkpoint
// it signed, as quoted in github.com/transparency-dev/trillian-tessera,
// internal/parse/checkpoint_test.go (BenchmarkCheckpointUnsafe).
const SUMDB_VKEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const SUMDB_CHECKPOINT =
  'go.sum database tree\n31700353\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n\n' +
  '\u2014 sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=\n';
const ROOT_B64 = 'qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=';

function reasonOf(run: () => unknown): CheckpointErrorReason | 'no error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    if (error instanceof CheckpointError) return error.reason;
    throw error;
  }
}

describe('openCheckpoint', () => {
  it('opens a real sum.golang.org checkpoint with the Go checksum database key', () => {
    const checkpoint = openCheckpoint(SUMDB_CHECKPOINT, SUMDB_VKEY);
    expect(checkpoint.origin).toBe('go.sum database tree');
    expect(checkpoint.size).toBe(31700353);
    expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(ROOT_B64);
  });

  it('rejects the real checkpoint once its size or root is changed', () => {
    expect(reasonOf(() => openCheckpoint(SUMDB_CHECKPOINT.replace('31700353', '31700354'), SUMDB_VKEY))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => openCheckpoint(SUMDB_CHECKPOINT.replace('qINS', 'qINT'), SUMDB_VKEY))).toBe('BAD_SIGNATURE');
  });

  it('round-trips signCheckpoint in the exact C2SP layout, alongside a witness cosignature', () => {
    const log = createNoteSigner('ledger.example/log', generateSeed());
    const witness = createNoteSigner('witness.example', generateSeed());
    const rootHash = new Uint8Array(32).fill(7);
    const note = signCheckpoint(log, { origin: 'ledger.example/log', size: 1234, rootHash });
    const body = `ledger.example/log\n1234\n${Buffer.from(rootHash).toString('base64')}\n`;
    expect(note.startsWith(`${body}\n\u2014 ledger.example/log `)).toBe(true);
    const cosigned = note + signNote(witness, body).slice(body.length + 1);
    for (const text of [note, cosigned]) {
      const opened = openCheckpoint(text, verifierKey(log));
      expect([opened.origin, opened.size, Buffer.from(opened.rootHash).equals(Buffer.from(rootHash))]).toEqual([
        'ledger.example/log',
        1234,
        true,
      ]);
    }
    expect(openCheckpoint(cosigned, verifierKey(witness)).size).toBe(1234);
    expect(reasonOf(() => openCheckpoint(note, verifierKey(witness)))).toBe('UNKNOWN_KEY');
  });

  it('reports MALFORMED for a signed note whose body is not a checkpoint', () => {
    const log = createNoteSigner('log', generateSeed());
    expect(reasonOf(() => openCheckpoint(signNote(log, 'origin\n007\n' + ROOT_B64 + '\n'), verifierKey(log)))).toBe('MALFORMED');
  });

  it('throws a plain Error (not a CheckpointError) for a malformed pinned key', () => {
    let thrown: unknown;
    try {
      openCheckpoint(SUMDB_CHECKPOINT, 'sum.golang.org+033de0ae');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(CheckpointError);
    expect((thrown as Error).message).toMatch(/invalid verifier key/);
  });
});

describe('parseCheckpointBody', () => {
  it('parses a body (trillian-tessera parse vectors)', () => {
    const parsed = parseCheckpointBody(`original.example.com\n42\n${ROOT_B64}\n`);
    expect([parsed.origin, parsed.size, Buffer.from(parsed.rootHash).toString('base64')]).toEqual(['original.example.com', 42, ROOT_B64]);
    expect(parseCheckpointBody(`o\n0\n${ROOT_B64}\n`).size).toBe(0);
    expect(parseCheckpointBody(`o\n9007199254740991\n${ROOT_B64}\n`).size).toBe(2 ** 53 - 1);
  });

  it.each([
    ['negative size (tessera)', `o\n-42\n${ROOT_B64}\n`],
    ['bad hash (tessera)', 'o\n42\nthisisnotright\n'],
    ['no origin (tessera)', `42\n${ROOT_B64}\n`],
    ['empty origin (C2SP: MUST be non-empty)', `\n42\n${ROOT_B64}\n`],
    ['leading zeros', `o\n042\n${ROOT_B64}\n`],
    ['exponent size', `o\n1e3\n${ROOT_B64}\n`],
    ['size beyond 2^53', `o\n9007199254740993\n${ROOT_B64}\n`],
    ['16-byte root', `o\n1\n${Buffer.alloc(16).toString('base64')}\n`],
    ['unpadded root', `o\n1\n${ROOT_B64.slice(0, -1)}\n`],
    ['extension line', `o\n1\n${ROOT_B64}\nextension\n`],
    ['missing final newline', `o\n1\n${ROOT_B64}`],
  ])('rejects %s as MALFORMED', (_case, body) => {
    expect(reasonOf(() => parseCheckpointBody(body))).toBe('MALFORMED');
  });
});

describe('checkpointBody', () => {
  it('refuses values a checkpoint cannot carry', () => {
    const rootHash = new Uint8Array(32);
    expect(checkpointBody({ origin: 'o', size: 0, rootHash })).toBe(`o\n0\n${Buffer.alloc(32).toString('base64')}\n`);
    expect(() => checkpointBody({ origin: 'a\nb', size: 1, rootHash })).toThrow(/one non-empty line/);
    expect(() => checkpointBody({ origin: '', size: 1, rootHash })).toThrow(/one non-empty line/);
    expect(() => checkpointBody({ origin: 'o', size: -1, rootHash })).toThrow(RangeError);
    expect(() => checkpointBody({ origin: 'o', size: 1.5, rootHash })).toThrow(RangeError);
    expect(() => checkpointBody({ origin: 'o', size: 1, rootHash: new Uint8Array(31) })).toThrow(/32 bytes/);
  });
});
