// Issues, resolves and revokes API keys.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode } from '#errors';
import { ApiKeyEntity, PartyEntity, type Role } from '#persistence';
import { APP_CONFIG, type AppConfig } from '#platform';
import { generateApiKey, hashApiKey, isWellFormedApiKey, keyPrefix, sameSecret } from './api-key-secret.js';
import type { Principal } from './principal.js';

export interface IssuedKey {
  key: string;
  keyId: string;
  partyId: string;
  role: Role;
}

const BOOTSTRAP_LOCK = 7_362_002;
/**
 * Resolved keys are cached briefly so a busy client costs no query per call.
 * A revocation takes effect at once in the process that made it and within
 * this many milliseconds everywhere else.
 */
export const KEY_CACHE_TTL_MS = 5_000;
const KEY_CACHE_MAX = 10_000;
/**
 * Keys that resolved to nothing are remembered apart, and fewer: a flood of
 * made-up keys used to fill the one cache and push real keys out of it.
 */
const UNKNOWN_KEY_CACHE_MAX = 1_000;

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly cache = new Map<string, { principal: Principal | undefined; expires: number }>();
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async authenticate(key: string): Promise<Principal | undefined> {
    if (this.config.adminApiKey && sameSecret(key, this.config.adminApiKey)) {
      return { keyId: 'env:ADMIN_API_KEY', role: 'admin', partyId: null };
    }
    if (!isWellFormedApiKey(key)) return undefined;
    const keyHash = hashApiKey(key);
    const cacheKey = keyHash.toString('base64');
    const now = Date.now();
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires > now) return cached.principal;
    if ((this.unknown.get(cacheKey) ?? 0) > now) return undefined;
    const row = await this.dataSource.getRepository(ApiKeyEntity).findOne({ where: { keyHash } });
    if (!row) {
      remember(this.unknown, cacheKey, now + KEY_CACHE_TTL_MS, UNKNOWN_KEY_CACHE_MAX);
      return undefined;
    }
    const principal: Principal | undefined = row.revokedAt ? undefined : { keyId: row.id, role: row.role, partyId: row.partyId };
    remember(this.cache, cacheKey, { principal, expires: now + KEY_CACHE_TTL_MS }, KEY_CACHE_MAX);
    return principal;
  }

  /** Creates a key for a new party, or for an existing one when partyId is given. */
  async issue(role: Role, party: { name: string; contact: string } | { id: string }): Promise<IssuedKey> {
    return this.dataSource.transaction(async (manager) => {
      let partyId: string;
      if ('id' in party) {
        const exists = await manager.getRepository(PartyEntity).existsBy({ id: party.id });
        if (!exists) throw new AppError(ErrorCode.PartyNotFound, `No party with id ${party.id}.`);
        partyId = party.id;
      } else {
        partyId = (await manager.getRepository(PartyEntity).save({ name: party.name, contact: party.contact })).id;
      }
      const key = generateApiKey();
      const saved = await manager.getRepository(ApiKeyEntity).save({ keyHash: hashApiKey(key), keyPrefix: keyPrefix(key), role, partyId, revokedAt: null });
      this.logger.log(`issued ${role} key ${saved.id} for party ${partyId}`);
      return { key, keyId: saved.id, partyId, role };
    });
  }

  async revoke(keyId: string): Promise<void> {
    const result = await this.dataSource
      .getRepository(ApiKeyEntity)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :keyId AND revoked_at IS NULL', { keyId })
      .execute();
    if (!result.affected) throw new AppError(ErrorCode.ApiKeyNotFound, `No active API key with id ${keyId}.`);
    for (const [cacheKey, entry] of this.cache) if (entry.principal?.keyId === keyId) this.cache.delete(cacheKey);
    this.logger.log(`revoked key ${keyId}`);
  }

  /**
   * On the very first start with no ADMIN_API_KEY configured, creates one admin
   * key and returns it so the caller can print it once. Later starts return
   * undefined. Serialised across processes by an advisory lock.
   */
  async bootstrapAdminKey(): Promise<IssuedKey | undefined> {
    if (this.config.adminApiKey) return undefined;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const existing = await manager.getRepository(ApiKeyEntity).countBy({ role: 'admin' });
      if (existing > 0) return undefined;
      const party = await manager.getRepository(PartyEntity).save({ name: 'Administrator', contact: 'admin@localhost' });
      const key = generateApiKey();
      const saved = await manager.getRepository(ApiKeyEntity).save({ keyHash: hashApiKey(key), keyPrefix: keyPrefix(key), role: 'admin', partyId: party.id, revokedAt: null });
      return { key, keyId: saved.id, partyId: party.id, role: 'admin' as const };
    });
  }
}

/** Sets a cache entry, dropping the oldest first when the cache is full. */
function remember<V>(cache: Map<string, V>, key: string, value: V, max: number): void {
  if (!cache.has(key) && cache.size >= max) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}
