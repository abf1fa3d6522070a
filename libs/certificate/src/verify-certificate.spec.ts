import { createHash } from 'node:crypto';
import { consistencyProof, createNoteSigner, generateSeed, signCheckpoint, verifierKey } from '#ledger';
import { generateTsaCredentials } from '#timestamp';
import { buildFixture, CONTENT, CONTENT_SHA256, tsaPems, WORK_ID } from '../test-support/certificate-fixture.js';
import type { CertificateDocument } from './certificate-document.js';
import { verifyAgainstLog } from './verify-against-log.js';
import { verifyCertificate } from './verify-certificate.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const failed = (result: { checks: Array<{ name: string; ok: boolean }> }) => result.checks.filter((c) => !c.ok).map((c) => c.name);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('verifyCertificate', () => {
  it('accepts a genuine certificate with the file and the pinned key, reporting every check', async () => {
    const { certificate, vkey } = await buildFixture();
    const result = verifyCertificate(certificate, { verifierKey: vkey, fileSha256: createHash('sha256').update(CONTENT).digest('hex') });
    expect(failed(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['certificate format', 'file hash', 'ledger key pinned', 'checkpoint signature', 'registration', 'shown metadata', 'status', 'owners', 'time-stamp signature and imprint', 'time-stamp bound to the ledger', 'time-stamp time']),
    );
    expect(result.timeStampTime).toBeInstanceOf(Date);
  });

  it('checks the owners shown against the registration with every transfer applied', async () => {
    const buyer = '7d8f0a52-3a7c-4c55-9d6e-2f1c8b9a0e11';
    const { certificate, vkey } = await buildFixture({ transfer: { to: buyer, name: 'Buyer', shareBp: 2500 } });
    expect(failed(verifyCertificate(certificate, { verifierKey: vkey }))).toEqual([]);
    const mallory = clone(certificate);
    mallory.work.owners = [{ id: 'f0000000-0000-4000-8000-000000000000', name: 'Mallory', shareBp: 10000 }];
    expect(failed(verifyCertificate(mallory, { verifierKey: vkey }))).toEqual(['owners']);
    const reshared = clone(certificate);
    reshared.work.owners = reshared.work.owners.map((o) => ({ ...o, shareBp: 5000 }));
    expect(failed(verifyCertificate(reshared, { verifierKey: vkey }))).toEqual(['owners']);
  });

  it('fails for a time-stamp time or serial, or a registration time, that the token and the ledger do not bear out', async () => {
    const { certificate, vkey } = await buildFixture();
    const backdated = clone(certificate);
    backdated.timeStamp!.genTime = '2001-01-01T00:00:00.000Z';
    expect(failed(verifyCertificate(backdated, { verifierKey: vkey }))).toEqual(['time-stamp details']);
    const reserialed = clone(certificate);
    reserialed.timeStamp!.serialNumber = '1';
    expect(failed(verifyCertificate(reserialed, { verifierKey: vkey }))).toEqual(['time-stamp details']);
    const early = clone(certificate);
    early.work.registeredAt = '2001-01-01T00:00:00.000Z';
    expect(failed(verifyCertificate(early, { verifierKey: vkey }))).toEqual(['registration time']);
  });

  it('survives a JSON round trip (what the verify command reads from disk)', async () => {
    const { certificate, vkey } = await buildFixture();
    expect(verifyCertificate(JSON.parse(JSON.stringify(certificate, null, 2)), { verifierKey: vkey }).ok).toBe(true);
  });

  it('fails when no key is pinned, even though everything else holds', async () => {
    const { certificate } = await buildFixture();
    const result = verifyCertificate(certificate);
    expect(failed(result)).toEqual(['ledger key pinned']);
  });

  it('fails for another file', async () => {
    const { certificate, vkey } = await buildFixture();
    const result = verifyCertificate(certificate, { verifierKey: vkey, fileSha256: createHash('sha256').update('another file').digest('hex') });
    expect(failed(result)).toEqual(['file hash']);
  });

  it('fails against another log key, and when the certificate swaps in a forger\'s key and checkpoint', async () => {
    const { certificate, vkey, leaves, origin } = await buildFixture();
    const other = verifierKey(createNoteSigner('fixture-log', generateSeed()));
    expect(failed(verifyCertificate(certificate, { verifierKey: other }))).toContain('checkpoint signature');

    // A forger re-signs the same tree with their own key: only pinning catches it.
    const forger = createNoteSigner('fixture-log', generateSeed());
    const forged = clone(certificate);
    forged.ledger.verifierKey = verifierKey(forger);
    const { merkleTreeHash } = await import('#ledger');
    forged.ledger.checkpoint = signCheckpoint(forger, { origin, size: leaves.length, rootHash: merkleTreeHash(leaves) });
    expect(verifyCertificate(forged).checks.find((c) => c.name === 'checkpoint signature')?.ok).toBe(true);
    expect(failed(verifyCertificate(forged, { verifierKey: vkey }))).toContain('checkpoint signature');
    expect(vkey).not.toBe(other);
  });

  it.each<[string, (c: CertificateDocument) => void, string]>([
    ['a changed title', (c) => void (c.work.metadata.title = '静夜思'), 'shown metadata'],
    ['changed registration metadata', (c) => void (c.entries[0]!.metadata!.title = '静夜思'), 'entry 2 (work.registered)'],
    ['a changed SHA-256', (c) => void (c.work.sha256 = createHash('sha256').update('x').digest('hex')), 'entry 2 (work.registered)'],
    ['a changed entry byte', (c) => void (c.entries[0]!.entry = b64(Buffer.from(Buffer.from(c.entries[0]!.entry, 'base64').toString().replace('registrant', 'registrbnt')))), 'entry 2 (work.registered)'],
    ['a changed proof hash', (c) => void (c.entries[0]!.inclusionProof.hashes[0] = b64(Buffer.alloc(32, 7))), 'entry 2 (work.registered)'],
    ['a changed checkpoint', (c) => void (c.ledger.checkpoint = c.ledger.checkpoint.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`)), 'checkpoint signature'],
    ['another registrant', (c) => void (c.work.registrant.id = '1c2d3e4f-0000-4000-8000-000000000999'), 'registration'],
    ['another owner share', (c) => void (c.work.owners[0]!.shareBp = 5000), 'owners'],
    ['a status of withdrawn without the entry', (c) => void (c.work.status = 'withdrawn'), 'status'],
    ['a dropped time-stamp', (c) => void (c.timeStamp = null), 'time-stamp'],
    ['another registration number', (c) => void (c.work.registrationNumber = 'CR-2026-99999999'), 'registration'],
  ])('detects %s', async (_, tamper, check) => {
    const { certificate, vkey } = await buildFixture();
    const tampered = clone(certificate);
    tamper(tampered);
    const result = verifyCertificate(tampered, { verifierKey: vkey });
    expect(result.ok).toBe(false);
    expect(failed(result)).toContain(check);
  });

  it('detects a time-stamp response for other data, and one from another TSA', async () => {
    const { certificate, vkey } = await buildFixture();
    const other = await buildFixture();
    const swapped = clone(certificate);
    // A genuine token from the same TSA, but over the content of another fixture run is the same hash:
    // so use a token over a different digest instead.
    const { TimeStampAuthority, loadTsaCredentials } = await import('#timestamp');
    const tsa = new TimeStampAuthority(loadTsaCredentials(await tsaPems()));
    const foreign = await tsa.timeStampSha256(createHash('sha256').update('other').digest());
    swapped.timeStamp!.response = b64(foreign.response);
    expect(failed(verifyCertificate(swapped, { verifierKey: vkey }))).toEqual(expect.arrayContaining(['time-stamp signature and imprint', 'time-stamp bound to the ledger']));

    const otherTsa = await generateTsaCredentials('Other');
    const wrongCa = verifyCertificate(certificate, { verifierKey: vkey, tsaCaCertPem: otherTsa.caCertPem });
    expect(failed(wrongCa)).toEqual(['time-stamp signature and imprint']);
    // The other fixture's genuine token for the same content is still not *this* registration's token.
    const replayed = clone(certificate);
    replayed.timeStamp = other.certificate.timeStamp;
    expect(failed(verifyCertificate(replayed, { verifierKey: vkey }))).toEqual(['time-stamp bound to the ledger']);
  });

  it('needs a pinned TSA CA when the registration entry does not name its token', async () => {
    const { certificate, vkey } = await buildFixture({ bindTimeStamp: false });
    expect(failed(verifyCertificate(certificate, { verifierKey: vkey }))).toEqual(['time-stamp trust']);
    const pems = await tsaPems();
    expect(verifyCertificate(certificate, { verifierKey: vkey, tsaCaCertPem: pems.caCertPem }).ok).toBe(true);
  });

  it('verifies amendments and withdrawals, replaying the corrections onto the registration', async () => {
    const { certificate, vkey } = await buildFixture({ amend: true, withdraw: true });
    expect(certificate.work.metadata).toMatchObject({ title: '春江花月夜', authors: [{ name: '張若虛', role: 'author' }], description: '唐诗' });
    expect(certificate.entries.map((e) => e.kind)).toEqual(['work.registered', 'work.amended', 'work.withdrawn']);
    const result = verifyCertificate(certificate, { verifierKey: vkey });
    expect(failed(result)).toEqual([]);
    expect(result.checks.find((c) => c.name === 'status')?.detail).toBe('withdrawn');

    const hidden = clone(certificate);
    hidden.entries = hidden.entries.filter((e) => e.kind !== 'work.amended');
    expect(failed(verifyCertificate(hidden, { verifierKey: vkey }))).toContain('shown metadata');
    const reordered = clone(certificate);
    reordered.entries.reverse();
    expect(failed(verifyCertificate(reordered, { verifierKey: vkey }))).toEqual(expect.arrayContaining(['entry order', 'registration']));
  });

  it('refuses what is not a certificate', () => {
    expect(failed(verifyCertificate({ hello: 'world' }))).toEqual(['certificate format']);
    expect(failed(verifyCertificate(null))).toEqual(['certificate format']);
    expect(verifyCertificate({ format: 'copyright-ledger/registration-certificate', version: 2 }).checks[0]!.detail).toMatch(/version 2/);
  });
});

describe('verifyAgainstLog', () => {
  it('accepts a log that extends the certificate\'s tree and reports what was recorded since', async () => {
    const fixture = await buildFixture({ amend: true });
    const result = verifyCertificate(fixture.certificate, { verifierKey: fixture.vkey });
    const size = fixture.leaves.length;
    const checkpoint = result.checkpoint!;
    // The log as it is now: same tree (nothing appended since), so an empty proof.
    const same = verifyAgainstLog(checkpoint, [2, 3], { checkpointNote: fixture.sign(size), consistencyProof: [] }, fixture.vkey);
    expect(same.map((c) => [c.name, c.ok])).toEqual([
      ['log checkpoint signature', true],
      ['log consistency', true],
      ['current status', false], // no registration given: the log does not know the work
    ]);
  });

  it('catches a fork: a log whose latest tree does not extend the certificate\'s', async () => {
    const fixture = await buildFixture();
    const size = fixture.leaves.length;
    const forkedLeaves = [...fixture.leaves];
    forkedLeaves[0] = new Uint8Array(32).fill(9);
    const { merkleTreeHash, nodeKey } = await import('#ledger');
    const signer = createNoteSigner('fixture-log', generateSeed());
    const vkey = verifierKey(signer);
    // Same signer for both trees so only the tree shapes differ.
    const signed = (leaves: Uint8Array[], n: number) => signCheckpoint(signer, { origin: fixture.origin, size: n, rootHash: merkleTreeHash(leaves.slice(0, n)) });
    const certificateCheckpoint = { origin: fixture.origin, size: size - 1, rootHash: merkleTreeHash(fixture.leaves.slice(0, size - 1)) };
    const readFrom = (leaves: Uint8Array[]) => async (ids: Array<{ level: number; index: number }>) =>
      new Map(ids.map((id) => [nodeKey(id), merkleTreeHash(leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level))]));

    const honest = await consistencyProof(size - 1, size, readFrom(fixture.leaves));
    const ok = verifyAgainstLog(certificateCheckpoint, [], { checkpointNote: signed(fixture.leaves, size), consistencyProof: honest.map(b64) }, vkey);
    expect(ok.find((c) => c.name === 'log consistency')?.ok).toBe(true);

    const forkProof = await consistencyProof(size - 1, size, readFrom(forkedLeaves));
    const forked = verifyAgainstLog(certificateCheckpoint, [], { checkpointNote: signed(forkedLeaves, size), consistencyProof: forkProof.map(b64) }, vkey);
    expect(forked.find((c) => c.name === 'log consistency')).toMatchObject({ ok: false, detail: expect.stringMatching(/forked/) });

    const rolledBack = verifyAgainstLog(certificateCheckpoint, [], { checkpointNote: signed(fixture.leaves, size - 2), consistencyProof: [] }, vkey);
    expect(rolledBack.find((c) => c.name === 'log consistency')).toMatchObject({ ok: false, detail: expect.stringMatching(/rolled back/) });
  });

  it('reports a withdrawal recorded after the certificate was issued', async () => {
    const before = await buildFixture();
    const after = await buildFixture({ withdraw: true });
    const checkpoint = verifyCertificate(after.certificate, { verifierKey: after.vkey }).checkpoint!;
    const registration = {
      workId: WORK_ID,
      registrationNumber: after.certificate.work.registrationNumber,
      sha256: CONTENT_SHA256,
      status: 'withdrawn' as const,
      registeredAt: after.certificate.work.registeredAt,
      registrant: after.certificate.work.registrant,
      entries: after.certificate.entries,
      pendingEntries: 0,
      timeStamp: null,
    };
    const checks = verifyAgainstLog(checkpoint, [before.certificate.entries[0]!.ledgerIndex], { checkpointNote: after.certificate.ledger.checkpoint, consistencyProof: [], registration }, after.vkey);
    expect(checks.find((c) => c.name === 'current status')).toMatchObject({ ok: false, detail: expect.stringMatching(/withdrawn/) });
  });
});
