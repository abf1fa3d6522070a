// The service's configuration: read from the environment once, at start-up,
// validated into one typed object. Nothing else in the code reads process.env,
// so a wrong value fails at start with one line naming it, not at first use.
import path from 'node:path';
import { isIP } from 'node:net';

export interface AppConfig {
  /** Where keys, blobs, the embedded database and TSA credentials live. */
  dataDir: string;
  databaseUrl: string;
  /** Connections per process in the database pool. */
  databasePoolSize: number;
  redisUrl: string;
  registryPort: number;
  exchangePort: number;
  workerHealthPort: number;
  host: string;
  /** Base URL the registry is reached at, used in links (202 Location, QR codes). */
  publicBaseUrl: string;
  /** Optional admin key accepted without a database row (automation, compose). */
  adminApiKey: string | undefined;
  ledger: {
    /** C2SP checkpoint origin line, e.g. "ledger.example.org/copyright". */
    origin: string;
    /** Name of the signing key in the verifier key and signature lines. */
    keyName: string;
    /** Base64 32-byte Ed25519 seed; when unset a key file in dataDir is used. */
    signingKeySeed: string | undefined;
    /** Most entries the sequencer integrates in one commit. */
    batchSize: number;
    /** How long a registration waits for its proof before answering 202. */
    proofWaitMs: number;
  };
  upload: {
    maxBytes: number;
    /** Largest suspect copy accepted by POST /v1/sightings. */
    sightingMaxBytes: number;
  };
  /** BullMQ (infringement scans). */
  queue: {
    /** Redis key prefix of every queue, a hash tag like "{copyright}"; tests use their own to stay apart. */
    prefix: string;
    /** Jobs each worker process runs at once per queue. */
    concurrency: number;
    /** First wait of a job that cannot run yet (RetryLater); it doubles up to five minutes. */
    retryLaterMs: number;
  };
  exchange: {
    /** Commission on listings created from now on, in basis points (250 = 2.5%). */
    feeBasisPoints: number;
  };
  /** The RFC 3161 time-stamp authority run by the registry. */
  tsa: {
    /** Name in the generated certificates ("<name> Time-Stamping CA", "<name> TSA"). */
    name: string;
    /** PEM files to load instead of the credentials generated in dataDir/keys/tsa (all three or none). */
    files: { caCert: string; tsaCert: string; tsaKey: string } | undefined;
    /** Time-stamp every registration (default on; off only to measure its cost). */
    registrationTokens: boolean;
    /** POST /v1/tsa requests per minute per API key. */
    rateLimitPerKey: number;
    /** POST /v1/tsa requests per minute per client address without a key. */
    rateLimitPerAddress: number;
  };
  /**
   * Requests per minute to the HTTP APIs, shared by all processes through
   * Redis; 0 turns a limit off. Generous by default (a flood guard): lower
   * them to what your clients need.
   */
  rateLimit: {
    /** Per API key, over both apps. */
    perKey: number;
    /** Per client address, for requests without a valid key. */
    perAddress: number;
  };
  logLevel: 'error' | 'warn' | 'log' | 'debug';
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(name, 'is required but not set');
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** HOST: an IP address or a host name (it is given to listen()). */
function listenHost(env: Env): string {
  const host = str(env, 'HOST', '127.0.0.1');
  if (isIP(host) === 0 && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
    throw new ConfigError('HOST', `must be an IP address or a host name to listen on, got "${host}"`);
  }
  return host;
}

/**
 * The host for links the registry hands out when PUBLIC_BASE_URL is unset:
 * HOST itself, but localhost for a wildcard address (0.0.0.0 in a QR code on
 * a certificate opens nothing), and an IPv6 address in brackets.
 */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return isIP(host) === 6 ? `[${host}]` : host;
}

function url(env: Env, name: string, protocols: string[], fallback?: string): string {
  const value = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function bytes(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const match = /^(\d+)\s*([kmg]?)i?b?$/i.exec(raw);
  if (!match) throw new ConfigError(name, `must be a size like 500M or 2G, got "${raw}"`);
  const value = Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()];
  if (value < 1) throw new ConfigError(name, 'must be at least 1 byte');
  return value;
}

/** A Redis Cluster hash tag, so all of a queue's keys share one slot (BullMQ's scripts need it). */
function queuePrefix(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!/^\{[A-Za-z0-9_.-]{1,64}\}$/.test(value)) throw new ConfigError(name, 'must be a hash tag like {copyright} (letters, digits, _ . - inside braces)');
  return value;
}

/** C2SP key names and origins may not contain whitespace or '+'. */
function noteName(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (/[\s+]/.test(value)) throw new ConfigError(name, 'may not contain spaces or "+"');
  return value;
}

function seed(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  if (Buffer.from(value, 'base64').length !== 32 || !/^[A-Za-z0-9+/]+=*$/.test(value)) {
    throw new ConfigError(name, 'must be a base64-encoded 32-byte Ed25519 seed');
  }
  return value;
}

/** The TSA name becomes a certificate common name (at most 64 characters with its suffix). */
function tsaName(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (value.length > 40 || /[\u0000-\u001f]/.test(value)) throw new ConfigError(name, 'must be one line of at most 40 characters');
  return value;
}

/** TSA_CA_CERT_FILE, TSA_CERT_FILE and TSA_KEY_FILE come together or not at all. */
function tsaFiles(env: Env): AppConfig['tsa']['files'] {
  const names = ['TSA_CA_CERT_FILE', 'TSA_CERT_FILE', 'TSA_KEY_FILE'] as const;
  const [caCert, tsaCert, tsaKey] = names.map((name) => optional(env, name));
  const given = [caCert, tsaCert, tsaKey].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) throw new ConfigError(names.join(', '), 'set all three TSA files (CA certificate, TSA certificate, TSA key) or none');
  return { caCert: path.resolve(caCert!), tsaCert: path.resolve(tsaCert!), tsaKey: path.resolve(tsaKey!) };
}

/**
 * Parses the environment. DATABASE_URL and REDIS_URL are required here: the
 * start script fills them in (embedded PostgreSQL, local redis-server) before
 * the apps run.
 */
export function loadConfig(env: Env): AppConfig {
  const registryPort = int(env, 'REGISTRY_PORT', 3000, 1, 65535);
  const exchangePort = int(env, 'EXCHANGE_PORT', 3001, 1, 65535);
  const workerHealthPort = int(env, 'WORKER_HEALTH_PORT', 3002, 1, 65535);
  if (exchangePort === registryPort) throw new ConfigError('EXCHANGE_PORT', `must differ from REGISTRY_PORT (both ${registryPort})`);
  if (workerHealthPort === registryPort || workerHealthPort === exchangePort) {
    throw new ConfigError('WORKER_HEALTH_PORT', `must differ from REGISTRY_PORT and EXCHANGE_PORT (${registryPort}, ${exchangePort}; got ${workerHealthPort})`);
  }
  const host = listenHost(env);
  const adminApiKey = optional(env, 'ADMIN_API_KEY');
  if (adminApiKey !== undefined && adminApiKey.length < 24) {
    throw new ConfigError('ADMIN_API_KEY', 'must be at least 24 characters (use a random value)');
  }
  return {
    dataDir: path.resolve(str(env, 'DATA_DIR', 'data')),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 20, 2, 500),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    registryPort,
    exchangePort,
    workerHealthPort,
    host,
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', ['http:', 'https:'], `http://${reachableHost(host)}:${registryPort}`).replace(/\/+$/, ''),
    adminApiKey,
    ledger: {
      origin: noteName(env, 'LEDGER_ORIGIN', 'localhost/copyright-ledger'),
      keyName: noteName(env, 'LEDGER_KEY_NAME', 'copyright-ledger'),
      signingKeySeed: seed(env, 'LEDGER_SIGNING_KEY'),
      batchSize: int(env, 'LEDGER_BATCH_SIZE', 1000, 1, 10000),
      proofWaitMs: int(env, 'LEDGER_PROOF_WAIT_MS', 3000, 0, 60000),
    },
    upload: { maxBytes: bytes(env, 'MAX_UPLOAD_BYTES', 2 * 1024 ** 3), sightingMaxBytes: bytes(env, 'SIGHTING_MAX_BYTES', 64 * 1024 ** 2) },
    queue: {
      prefix: queuePrefix(env, 'QUEUE_PREFIX', '{copyright}'),
      concurrency: int(env, 'WORKER_CONCURRENCY', 2, 1, 64),
      retryLaterMs: int(env, 'QUEUE_RETRY_LATER_MS', 5000, 10, 600_000),
    },
    exchange: { feeBasisPoints: int(env, 'EXCHANGE_FEE_BP', 250, 0, 10000) },
    tsa: {
      name: tsaName(env, 'TSA_NAME', 'Copyright Ledger'),
      files: tsaFiles(env),
      registrationTokens: oneOf(env, 'REGISTRATION_TIMESTAMPS', ['on', 'off'] as const, 'on') === 'on',
      rateLimitPerKey: int(env, 'TSA_RATE_LIMIT_PER_KEY', 600, 1, 10_000_000),
      rateLimitPerAddress: int(env, 'TSA_RATE_LIMIT_PER_ADDRESS', 60, 1, 10_000_000),
    },
    rateLimit: {
      perKey: int(env, 'RATE_LIMIT_PER_KEY', 600_000, 0, 100_000_000),
      perAddress: int(env, 'RATE_LIMIT_PER_ADDRESS', 60_000, 0, 100_000_000),
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug'] as const, 'log'),
  };
}

/** For process entry points: ends the process with one line naming the problem, and EX_CONFIG. */
export function exitWithConfigError(problem: string): never {
  process.stderr.write(`Configuration error: ${problem}\n`);
  process.exit(78);
}

/** For process entry points: a bad value ends the process with one clear line. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) exitWithConfigError(error.message);
    throw error;
  }
}
