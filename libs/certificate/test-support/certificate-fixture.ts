// Builds a real certificate without a database: a small in-memory ledger
// signed with a fresh key, and a real time-stamp from a fresh TSA.
import { createHash } from 'node:crypto';
import {
  createNoteSigner,
  encodeEntry,
  generateSeed,
  inclusionProof,
  leafHash,
  merkleTreeHash,
  metadataHash,
  nodeKey,
  type NodeReader,
  type PendingEntry,
  signCheckpoint,
  verifierKey,
} from '#ledger';
import { generateTsaCredentials, loadTsaCredentials, TimeStampAuthority, type GeneratedTsaCredentials } from '#timestamp';
import { buildCertificate } from '../src/build-certificate.js';
import type { CertificateDocument, CertificateEntry } from '../src/certificate-document.js';
import { amendmentMetadata, withdrawalMetadata } from '../src/registration-metadata.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export const WORK_ID = '0b6f3c1e-7c1f-4a51-9d0e-2f1f6a8f0001';
export const REGISTRANT = '1c2d3e4f-0000-4000-8000-000000000001';
export const CONTENT = Buffer.from('春江潮水连海平，海上明月共潮生。');
export const CONTENT_SHA256 = createHash('sha256').update(CONTENT).digest('hex');

let tsaCredentials: Promise<GeneratedTsaCredentials> | undefined;
export const tsaPems = () => (tsaCredentials ??= generateTsaCredentials('Fixture'));

export interface Fixture {
  certificate: CertificateDocument;
  vkey: string;
  /** Every leaf of the fixture ledger, for consistency proofs in tests. */
  leaves: Uint8Array[];
  read: NodeReader;
  origin: string;
  sign: (size: number) => string;
}

export interface FixtureOptions {
  amend?: boolean;
  withdraw?: boolean;
  /** Other registrations integrated before this one. */
  before?: number;
  timeStamp?: boolean;
  bindTimeStamp?: boolean;
  /** A share the registrant assigned, after the registration (an ownership.transferred entry). */
  transfer?: { to: string; name: string; shareBp: number };
}

export async function buildFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const signer = createNoteSigner('fixture-log', generateSeed());
  const origin = 'example.org/fixture';
  const pems = await tsaPems();
  const tsa = new TimeStampAuthority(loadTsaCredentials(pems));
  const stamp = options.timeStamp === false ? undefined : await tsa.timeStampSha256(Buffer.from(CONTENT_SHA256, 'hex'));

  const registrationNumber = 'CR-2026-00000042';
  const registration = { registrationNumber, title: '春江花月夜', type: 'text', authors: [{ name: '张若虚', role: 'author' }] };
  const data: Uint8Array[] = [];
  const items: Array<{ index: number; metadata?: Record<string, unknown>; kind: string }> = [];
  const time = new Date(Math.floor(Date.now() / 1000) * 1000);
  const push = (pending: PendingEntry, metadata?: Record<string, unknown>) => {
    items.push({ index: data.length, metadata, kind: pending.kind });
    data.push(encodeEntry(pending, new Date(time.getTime() + data.length * 1000 + 60_000)));
  };
  for (let i = 0; i < (options.before ?? 2); i++) {
    data.push(encodeEntry({ kind: 'work.registered', subject: { type: 'work', id: `other-${i}` }, parties: [] }, time));
  }
  push(
    {
      kind: 'work.registered',
      subject: { type: 'work', id: WORK_ID },
      workSha256: CONTENT_SHA256,
      metadataHash: metadataHash(registration),
      parties: [{ role: 'registrant', id: REGISTRANT }, { role: 'owner', id: REGISTRANT, shareBp: 10000 }],
      refs: {
        registrationNumber,
        ...(stamp && options.bindTimeStamp !== false ? { timeStamp: createHash('sha256').update(stamp.response).digest('hex') } : {}),
      },
    },
    registration,
  );
  const registeredIndex = items[0]!.index;
  if (options.amend) {
    const amendment = amendmentMetadata(registrationNumber, 1, 'The author was misspelt.', { authors: [{ name: '張若虛', role: 'author' }], description: '唐诗' });
    push(
      {
        kind: 'work.amended',
        subject: { type: 'work', id: WORK_ID },
        workSha256: CONTENT_SHA256,
        metadataHash: metadataHash(amendment),
        parties: [{ role: 'applicant', id: REGISTRANT }],
        refs: { registrationNumber, original: registeredIndex, amendment: 1 },
      },
      amendment as unknown as Record<string, unknown>,
    );
  }
  if (options.withdraw) {
    const withdrawal = withdrawalMetadata(registrationNumber, 'Registered by mistake.');
    push(
      {
        kind: 'work.withdrawn',
        subject: { type: 'work', id: WORK_ID },
        workSha256: CONTENT_SHA256,
        metadataHash: metadataHash(withdrawal),
        parties: [{ role: 'applicant', id: REGISTRANT }],
        refs: { registrationNumber, original: registeredIndex },
      },
      withdrawal as unknown as Record<string, unknown>,
    );
  }
  if (options.transfer) {
    const { to, shareBp } = options.transfer;
    push({
      kind: 'ownership.transferred',
      subject: { type: 'work', id: WORK_ID },
      workSha256: CONTENT_SHA256,
      parties: [
        { role: 'assignor', id: REGISTRANT, shareBp },
        { role: 'assignee', id: to, shareBp },
      ],
    });
  }
  // One unrelated entry after ours, so proofs have both sides.
  data.push(encodeEntry({ kind: 'work.registered', subject: { type: 'work', id: 'after' }, parties: [] }, time));

  const leaves = data.map((bytes) => leafHash(bytes));
  const read: NodeReader = async (ids) => new Map(ids.map((id) => [nodeKey(id), merkleTreeHash(leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level))]));
  const size = leaves.length;
  const sign = (treeSize: number) => signCheckpoint(signer, { origin, size: treeSize, rootHash: merkleTreeHash(leaves.slice(0, treeSize)) });
  const entries: CertificateEntry[] = [];
  for (const item of items) {
    const proof = await inclusionProof(item.index, size, read);
    entries.push({
      kind: item.kind,
      ledgerIndex: item.index,
      entry: b64(data[item.index]!),
      leafHash: b64(leaves[item.index]!),
      inclusionProof: { index: item.index, treeSize: size, hashes: proof.map(b64) },
      ...(item.metadata ? { metadata: item.metadata } : {}),
    });
  }
  const certificate = buildCertificate({
    issuedAt: new Date(),
    verifyUrl: `https://registry.example.org/verify?work=${WORK_ID}`,
    work: {
      id: WORK_ID,
      registrationNumber,
      sha256: CONTENT_SHA256,
      status: options.withdraw ? 'withdrawn' : 'registered',
      registeredAt: time.toISOString(),
      registrant: { id: REGISTRANT, name: '张三' },
      owners: options.transfer
        ? [
            ...(options.transfer.shareBp < 10000 ? [{ id: REGISTRANT, name: '张三', shareBp: 10000 - options.transfer.shareBp }] : []),
            { id: options.transfer.to, name: options.transfer.name, shareBp: options.transfer.shareBp },
          ]
        : [{ id: REGISTRANT, name: '张三', shareBp: 10000 }],
    },
    verifierKey: verifierKey(signer),
    checkpoint: sign(size),
    entries,
    timeStamp: stamp
      ? { response: b64(stamp.response), genTime: stamp.genTime.toISOString(), serialNumber: stamp.serialNumber.toString(), caCertPem: pems.caCertPem, tsaCertPem: pems.tsaCertPem }
      : null,
  });
  return { certificate, vkey: verifierKey(signer), leaves, read, origin, sign };
}
