// `npm run verify -- <certificate.json | evidence.json> [--file <work>] [--suspect <copy>]
//                    [--key <vkey or file>] [--tsa-ca <ca.pem>] [--log <base URL>] [--json]`
// An infringement evidence package (GET /v1/reports/:id/evidence) is checked
// the same way: both certificates (or the sighting and its time-stamp),
// priority, the similarity evidence hash, the history and, once confirmed,
// the infringement.confirmed entry (libs/infringement evidence-package).
// Checks a registration certificate offline with nothing but the log's public
// key: the file's hash, every entry's leaf hash and inclusion proof, the
// checkpoint signature, the time-stamp token. With --log it also checks that
// the log's latest checkpoint extends the certificate's (a fork is caught) and
// reports what was recorded about the work since. Prints each check; exits 0
// when all pass, 1 when any fails, 2 on a usage error.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { type CertificateCheck, type PublicLookup, verifyAgainstLog, verifyCertificate } from '#certificate';
import { isEvidencePackage, verifyEvidencePackage } from '#infringement';

const USAGE = `usage: npm run verify -- <certificate.json | evidence.json> [--file <work>] [--suspect <copy>] [--key <verifier key or file>] [--tsa-ca <ca.pem>] [--log <base URL>] [--json]

  --file    the work itself: its SHA-256 must be the certificate's (for an evidence package: the original's)
  --suspect for an evidence package: the suspect copy, whose SHA-256 must be the package's
  --key     the log's C2SP verifier key (name+id+key), or a file holding it; pin a copy you trust
  --tsa-ca  the time-stamp authority's CA certificate (PEM), if you pin it separately
  --log     the registry's base URL: also check the certificate against the live log
            (and take the key and TSA CA from it when not given)
  --json    print the result as JSON`;

function usage(message?: string): never {
  if (message) process.stderr.write(`verify: ${message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { file: { type: 'string' }, suspect: { type: 'string' }, key: { type: 'string' }, 'tsa-ca': { type: 'string' }, log: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) usage();
if (positionals.length !== 1) usage('give exactly one certificate file');

const readText = (file: string, what: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    return usage(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
};

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    usage(`cannot read --file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return hash.digest('hex');
}

const logUrl = values.log?.replace(/\/+$/, '');
if (logUrl !== undefined && !/^https?:\/\/\S+$/.test(logUrl)) usage('--log must be an http(s) URL');

async function fetchText(path: string): Promise<string> {
  const response = await fetch(`${logUrl}${path}`, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.text();
}

let certificateJson: unknown;
try {
  certificateJson = JSON.parse(readText(positionals[0]!, 'certificate'));
} catch (error) {
  if (error instanceof SyntaxError) usage(`${positionals[0]} is not JSON: ${error.message}`);
  throw error;
}

const logChecks: CertificateCheck[] = [];
let verifierKey: string | undefined;
let verifierKeySource: string | undefined;
if (values.key !== undefined) {
  verifierKey = fs.existsSync(values.key) ? readText(values.key, '--key').trim() : values.key.trim();
  verifierKeySource = fs.existsSync(values.key) ? `--key ${values.key}` : '--key';
}
let tsaCaCertPem = values['tsa-ca'] !== undefined ? readText(values['tsa-ca'], '--tsa-ca') : undefined;
if (logUrl && (!verifierKey || !tsaCaCertPem)) {
  try {
    if (!verifierKey) {
      verifierKey = (await fetchText('/v1/ledger/key')).trim();
      verifierKeySource = `fetched from ${logUrl} (trusting that log)`;
    }
    tsaCaCertPem ??= await fetchText('/v1/tsa/certs/ca.pem');
  } catch (error) {
    logChecks.push({ name: 'log reachable', ok: false, detail: (error as Error).message });
  }
}

const fileSha256 = values.file !== undefined ? await sha256OfFile(values.file) : undefined;

if (isEvidencePackage(certificateJson)) {
  const suspectFileSha256 = values.suspect !== undefined ? await sha256OfFile(values.suspect) : undefined;
  const evidence = verifyEvidencePackage(certificateJson, { verifierKey, verifierKeySource, tsaCaCertPem, originalFileSha256: fileSha256, suspectFileSha256 });
  const checks = [...evidence.checks, ...logChecks];
  const ok = checks.every((c) => c.ok);
  if (values.json) process.stdout.write(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
  else {
    const report = (certificateJson as { report: { id: string; status: string } }).report;
    process.stdout.write(`Evidence package for infringement report ${report.id} (${report.status})\n`);
    const width = Math.max(...checks.map((c) => c.name.length));
    for (const check of checks) process.stdout.write(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.detail}\n`);
    const failed = checks.filter((c) => !c.ok).length;
    process.stdout.write(ok ? `VERIFIED: all ${checks.length} checks passed\n` : `NOT VERIFIED: ${failed} of ${checks.length} checks failed\n`);
  }
  process.exit(ok ? 0 : 1);
}
const result = verifyCertificate(certificateJson, { verifierKey, verifierKeySource, tsaCaCertPem, fileSha256 });

if (logUrl && result.checkpoint && verifierKey && result.certificate && !logChecks.length) {
  try {
    // The work's current record first: its checkpoint is the "latest" we check consistency to,
    // so every proof in the answer is against the same tree.
    const lookup = JSON.parse(await fetchText(`/v1/verify/works/${encodeURIComponent(result.certificate.work.id)}`)) as PublicLookup;
    const latestNote = lookup.checkpoint ?? (await fetchText('/v1/ledger/checkpoint'));
    const latestSize = Number(latestNote.split('\n')[1]);
    const from = result.checkpoint.size;
    const proof =
      Number.isSafeInteger(latestSize) && latestSize > from
        ? (JSON.parse(await fetchText(`/v1/ledger/proof/consistency?from=${from}&to=${latestSize}`)) as { hashes: string[] }).hashes
        : [];
    logChecks.push(
      ...verifyAgainstLog(
        result.checkpoint,
        result.certificate.entries.map((e) => e.ledgerIndex),
        { checkpointNote: latestNote, consistencyProof: proof, registration: lookup.registrations[0] },
        verifierKey,
      ),
    );
  } catch (error) {
    logChecks.push({ name: 'log reachable', ok: false, detail: (error as Error).message });
  }
}

const checks = [...result.checks, ...logChecks];
const ok = checks.length > 0 && checks.every((c) => c.ok);
if (values.json) {
  process.stdout.write(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
} else {
  const work = result.certificate?.work;
  if (work) {
    const title = typeof work.metadata.title === 'string' ? work.metadata.title : '';
    process.stdout.write(`Certificate ${work.registrationNumber} — "${title}" (work ${work.id}, ${work.status})\n`);
  }
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const check of checks) process.stdout.write(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.detail}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(ok ? `VERIFIED: all ${checks.length} checks passed\n` : `NOT VERIFIED: ${failed} of ${checks.length} checks failed\n`);
}
process.exitCode = ok ? 0 : 1;
