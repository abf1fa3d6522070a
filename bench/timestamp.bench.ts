// `npm run bench:timestamp` (also printed by `npm run bench:ledger`): the cost
// of time-stamping every registration, and the TSA endpoint's throughput.
//  1. Registration over HTTP (hash-only JSON, 64 connections, autocannon) with
//     REGISTRATION_TIMESTAMPS=on against the same run with it off, alternating
//     rounds on fresh databases. Target: on / off >= 0.8.
//  2. Tokens per second from POST /v1/tsa (DER query in, DER reply out, 32
//     connections), beside the authority signing in-process.
// BENCH_SECONDS cuts the run time (default 15 per measurement).
import autocannon from 'autocannon';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createTimeStampRequest, generateTsaCredentials, loadTsaCredentials, TimeStampAuthority } from '#timestamp';
import { createBenchDatabase, fmt, issueKey, startAppProcess } from './support/bench-env.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
// Alternating rounds on fresh databases, the median per mode: a 2-core machine is noisy.
const ROUNDS = Number(process.env.BENCH_TSA_ROUNDS ?? 3);

const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);

/** CPU seconds (user + system) the process has used, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function registrationsPerSecond(mode: 'on' | 'off', seconds: number): Promise<{ perSecond: number; non2xx: number; cpuMs: number }> {
  const db = await createBenchDatabase(`tsa_${mode}`);
  const registry = await startAppProcess('registry', db.url, { REGISTRATION_TIMESTAMPS: mode });
  try {
    const creator = await issueKey(registry.url, 'creator');
    const load = (duration: number) =>
      autocannon({
        url: registry.url,
        connections: 64,
        duration,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              method: 'POST',
              path: '/v1/works',
              headers: { authorization: `Bearer ${creator.key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ sha256: randomBytes(32).toString('hex'), title: 'Bench work', type: 'text', authors: [{ name: 'Bench' }] }),
            }),
          },
        ],
      });
    await load(3); // warm-up
    const cpuBefore = cpuSeconds(registry.pid);
    const result = await load(seconds);
    const cpuMs = ((cpuSeconds(registry.pid) - cpuBefore) * 1000) / Math.max(1, result['2xx']);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let requests still waiting for their proof finish before stopping
    return { perSecond: result['2xx'] / (result.duration || seconds), non2xx: result.non2xx, cpuMs };
  } finally {
    await registry.stop();
    await db.drop();
  }
}

async function registrationCost(): Promise<void> {
  console.log(`\n5. Registration with RFC 3161 time-stamp tokens on vs off (64 connections, ${ROUNDS} alternating rounds of ${SECONDS} s each, median)`);
  const runs: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const cpu: Record<'on' | 'off', number[]> = { on: [], off: [] };
  let errors = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const { perSecond, non2xx, cpuMs } = await registrationsPerSecond(mode, SECONDS);
      runs[mode].push(perSecond);
      cpu[mode].push(cpuMs);
      errors += non2xx;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [off, on] = [median(runs.off), median(runs.on)];
  line('registrations/s, time-stamps off (median)', `${fmt(off)}  (runs: ${runs.off.map((v) => fmt(v)).join(', ')})`);
  line('registrations/s, time-stamps on (median)', `${fmt(on)}  (runs: ${runs.on.map((v) => fmt(v)).join(', ')})`);
  line('registry CPU ms per registration, off / on', `${fmt(median(cpu.off), 3)} / ${fmt(median(cpu.on), 3)} (load-independent cost)`);
  line('non-2xx responses (all runs)', fmt(errors));
  line('ratio on / off (target >= 0.8)', fmt(on / off, 2));
}

async function tsaEndpoint(): Promise<void> {
  console.log(`\n6. Time-stamp tokens from POST /v1/tsa (32 connections, ${SECONDS} s)`);
  const pems = await generateTsaCredentials('Bench');
  const tsa = new TimeStampAuthority(loadTsaCredentials(pems));
  const digest = createHash('sha256').update('bench').digest();
  // Eight in flight: signatures run on the thread pool, so one at a time would measure its hand-off.
  const started = performance.now();
  let signed = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() - started < 2000) {
        await tsa.timeStampSha256(digest);
        signed++;
      }
    }),
  );
  const inProcess = signed / ((performance.now() - started) / 1000);

  const db = await createBenchDatabase('tsa_endpoint');
  const registry = await startAppProcess('registry', db.url, { TSA_RATE_LIMIT_PER_KEY: '10000000' });
  try {
    const creator = await issueKey(registry.url, 'creator');
    const body = Buffer.from(createTimeStampRequest({ sha256: digest, nonce: 42n, certReq: true }));
    const load = (duration: number) =>
      autocannon({
        url: `${registry.url}/v1/tsa`,
        connections: 32,
        duration,
        method: 'POST',
        headers: { authorization: `Bearer ${creator.key}`, 'content-type': 'application/timestamp-query' },
        body,
      });
    await load(2);
    const result = await load(SECONDS);
    line('tokens/s over HTTP (POST /v1/tsa, with API key)', fmt(result['2xx'] / (result.duration || SECONDS)));
    line('latency p50 / p99 (ms)', `${fmt(result.latency.p50, 1)} / ${fmt(result.latency.p99, 1)}`);
    line('non-2xx responses', fmt(result.non2xx));
    line('tokens/s signed in-process (8 in flight, reference)', fmt(inProcess));
  } finally {
    await registry.stop();
    await db.drop();
  }
}

export async function timestampBench(): Promise<void> {
  await registrationCost();
  await tsaEndpoint();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`bench:timestamp on ${os.cpus().length} cores, node ${process.version}`);
  await timestampBench();
}
