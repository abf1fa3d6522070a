import { ApiKeyEntity } from './api-key.entity.js';
import { PartyEntity } from './party.entity.js';
import { WorkOwnerEntity } from './work-owner.entity.js';
import { WorkEntity } from './work.entity.js';

export * from './api-key.entity.js';
export * from './party.entity.js';
export * from './work-owner.entity.js';
export * from './work.entity.js';

/** Every entity, listed explicitly (no globs over dist/). */
export const ENTITIES = [PartyEntity, ApiKeyEntity, WorkEntity, WorkOwnerEntity];
