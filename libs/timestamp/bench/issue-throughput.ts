// Scratch benchmark (not a test): tokens per second from TimeStampAuthority,
// plus verifications per second. Compile with tsc and run the emitted JS:
//   node <outDir>/bench/issue-throughput.js [seconds]
import { createHash, randomBytes } from 'node:crypto';
import { TimeStampAuthority } from '../src/time-stamp-authority.js';
import { createTimeStampRequest } from '../src/time-stamp-request.js';
import { generateTsaCredentials, loadTsaCredentials } from '../src/tsa-credentials.js';
import { verifyTimeStampResponse } from '../src/time-stamp-verifier.js';

async function rate(label: string, seconds: number, op: (i: number) => Promise<unknown> | unknown): Promise<void> {
  for (let i = 0; i < 500; i++) await op(i); // warm-up (JIT)
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let count = 0;
  while (performance.now() < deadline) {
    await op(count);
    count++;
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(`${label}: ${Math.round(count / elapsed)} /s (${count} in ${elapsed.toFixed(2)} s)`);
}

const seconds = Number(process.argv[2] ?? 3);
const pems = await generateTsaCredentials('Bench');
const tsa = new TimeStampAuthority(loadTsaCredentials(pems));
const digests = Array.from({ length: 1024 }, () => createHash('sha256').update(randomBytes(64)).digest());
const requests = digests.map((sha256, i) => createTimeStampRequest({ sha256, nonce: BigInt(i + 1), certReq: true }));

await rate('timeStampSha256 (certReq, no DER request)', seconds, (i) => tsa.timeStampSha256(digests[i % 1024]!));
await rate('issue(DER request with nonce, certReq)', seconds, (i) => tsa.issue(requests[i % 1024]!));
const responses = await Promise.all(digests.slice(0, 64).map((d) => tsa.timeStampSha256(d)));
await rate('verifyTimeStampResponse', seconds, (i) =>
  verifyTimeStampResponse(responses[i % 64]!.response, { caCertPem: pems.caCertPem, sha256: digests[i % 64] }),
);
