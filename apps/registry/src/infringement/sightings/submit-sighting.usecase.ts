// Records a suspect copy: its content goes to the content store, the record
// and its fingerprint job (through the outbox) are written in one
// transaction, with an RFC 3161 token over its SHA-256 as proof of when the
// registry received it. The worker then fingerprints and matches it like a
// registration.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { isoInstant } from '#platform';
import { enqueueJob, JobName } from '#queue';
import { TimeStampingService } from '../../tsa/time-stamping.service.js';
import type { SightingMetadataDto } from './sighting.dto.js';

export interface SubmitSightingCommand {
  principal: Principal;
  metadata: SightingMetadataDto;
  content: {
    sha256: string;
    sizeBytes: number;
    kind: 'file' | 'text';
    mediaType: string | null;
    fileName: string | null;
    /** Moves the staged copy into the content store: called only once the sighting is accepted. */
    store: () => Promise<unknown>;
  };
}

const FUTURE_SKEW_MS = 5 * 60 * 1000;
/** The longest DNS name (and the column's limit). */
const MAX_DOMAIN = 253;

/** The URL's host, lowercase, without a final dot; a 400 when there is none a person could visit. */
function domainOf(sourceUrl: string): string {
  let host: string;
  try {
    host = new URL(sourceUrl).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    throw new AppError(ErrorCode.ValidationFailed, 'Invalid request: sourceUrl is not a URL that can be opened (check its host name).', { field: 'sourceUrl' });
  }
  if (host.length < 1 || host.length > MAX_DOMAIN) {
    throw new AppError(ErrorCode.ValidationFailed, `Invalid request: the host name of sourceUrl must be 1 to ${MAX_DOMAIN} characters.`, { field: 'sourceUrl' });
  }
  return host;
}

@Injectable()
export class SubmitSightingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tsa: TimeStampingService,
  ) {}

  async execute(command: SubmitSightingCommand): Promise<{ id: string; receivedAt: Date; timeStamped: boolean }> {
    const { principal, metadata, content } = command;
    if (!principal.partyId) throw new AppError(ErrorCode.Forbidden, 'Submit sightings with a key that belongs to a party.');
    // Checked here, before a time-stamp is issued: the validator's ISO 8601
    // accepts forms (week dates, basic format) that Date does not read.
    const seenAt = new Date(isoInstant('seenAt', metadata.seenAt));
    if (seenAt.getTime() > Date.now() + FUTURE_SKEW_MS) throw new AppError(ErrorCode.ValidationFailed, 'seenAt is in the future.', { field: 'seenAt' });
    const sourceDomain = domainOf(metadata.sourceUrl);
    if (metadata.suspectPartyId) {
      const exists = await this.dataSource.query('SELECT 1 FROM parties WHERE id = $1', [metadata.suspectPartyId]);
      if (!exists.length) throw new AppError(ErrorCode.PartyNotFound, `No party with id ${metadata.suspectPartyId}.`);
    }
    const stamp = await this.tsa.stampRegistration(Buffer.from(content.sha256, 'hex'));
    // Only an accepted sighting enters the content store (a refused one used to stay there for good).
    await content.store();
    const id = randomUUID();
    const receivedAt = await this.dataSource.transaction(async (manager) => {
      const [row]: Array<{ created_at: Date }> = await manager.query(
        `INSERT INTO sightings (id, reporter_id, reporter_role, sha256, content_kind, size_bytes, media_type, file_name, title, source_url, source_domain,
                                platform, seen_at, suspect_party_id, suspect_name, territory, use_right, use_medium, notes, time_stamp)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING created_at`,
        [
          id,
          principal.partyId,
          principal.role,
          Buffer.from(content.sha256, 'hex'),
          content.kind,
          content.sizeBytes,
          content.mediaType,
          content.fileName,
          metadata.title ?? null,
          metadata.sourceUrl,
          sourceDomain,
          metadata.platform,
          seenAt,
          metadata.suspectPartyId ?? null,
          metadata.suspectName ?? null,
          metadata.territory ?? 'CN',
          metadata.right ?? 'information_network_dissemination',
          metadata.medium ?? 'online',
          metadata.notes ?? null,
          stamp?.response ?? null,
        ],
      );
      await enqueueJob((text, params) => manager.query(text, params), JobName.FingerprintSighting, { sightingId: id }, `${JobName.FingerprintSighting}.${id}`);
      return row!.created_at;
    });
    return { id, receivedAt, timeStamped: stamp !== undefined };
  }
}
