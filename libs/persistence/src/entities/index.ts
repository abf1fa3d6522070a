import { ApiKeyEntity } from './api-key.entity.js';
import { PartyEntity } from './party.entity.js';
import { WorkOwnerEntity } from './work-owner.entity.js';
import { WorkEntity } from './work.entity.js';
import { WorkAmendmentEntity } from './work-amendment.entity.js';
import { WorkTimestampEntity } from './work-timestamp.entity.js';
import { WorkWithdrawalEntity } from './work-withdrawal.entity.js';

export * from './api-key.entity.js';
export * from './party.entity.js';
export * from './work-owner.entity.js';
export * from './work.entity.js';
export * from './work-amendment.entity.js';
export * from './work-timestamp.entity.js';
export * from './work-withdrawal.entity.js';

/** Every entity, listed explicitly (no globs over dist/). */
export const ENTITIES = [PartyEntity, ApiKeyEntity, WorkEntity, WorkOwnerEntity, WorkTimestampEntity, WorkAmendmentEntity, WorkWithdrawalEntity];
