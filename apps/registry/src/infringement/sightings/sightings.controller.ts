// POST /v1/sightings: officers and right holders report a suspect copy (a
// file as multipart/form-data, or text as JSON) with where and when it was
// seen; GET shows its scan and the reports it raised.
import { Controller, Get, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { BlobStore } from '#blob-store';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, validateDto, type AppConfig, UuidParam } from '#platform';
import { readMultipartRegistration } from '../../works/multipart-upload.js';
import { BLOB_STORE } from '../../works/works.controller.js';
import { SightingMetadataDto, TextSightingDto } from './sighting.dto.js';
import { SubmitSightingUseCase, type SubmitSightingCommand } from './submit-sighting.usecase.js';

@ApiTags('infringement reports')
@ApiBearerAuth()
@Controller('v1/sightings')
export class SightingsController {
  constructor(
    private readonly submit: SubmitSightingUseCase,
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('officer', 'creator')
  @ApiOperation({
    summary: 'Report a suspect copy seen somewhere',
    description:
      'multipart/form-data with a `file` part and the fields (or a `metadata` JSON part), or JSON with `text`. Answers 202: the copy is fingerprinted and matched ' +
      'against every registered work in the background; reports appear in GET /v1/reports.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: TextSightingDto })
  async create(@Req() request: FastifyRequest, @Res() response: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    const { command, discard } = await this.command(request, principal);
    try {
      const result = await this.submit.execute(command);
      response
        .status(HttpStatus.ACCEPTED)
        .header('Location', `/v1/sightings/${result.id}`)
        .send({ id: result.id, sha256: command.content.sha256, receivedAt: result.receivedAt.toISOString(), timeStamped: result.timeStamped, scan: 'queued' });
    } finally {
      await discard(); // a no-op once the use case stored the copy
    }
  }

  /** The command, with its copy staged (not yet in the content store), and how to drop the staged copy. */
  private async command(request: FastifyRequest, principal: Principal): Promise<{ command: SubmitSightingCommand; discard: () => Promise<void> }> {
    const contentType = request.headers['content-type'] ?? '';
    const limit = this.config.upload.sightingMaxBytes;
    if (contentType.startsWith('multipart/form-data')) {
      const upload = await readMultipartRegistration(request.raw, this.blobs, limit, { commit: 'later' });
      try {
        const metadata = await validateDto(SightingMetadataDto, upload.fields);
        const { blob } = upload;
        const content = { sha256: blob.sha256, sizeBytes: blob.size, kind: 'file' as const, mediaType: upload.mediaType, fileName: upload.fileName || null, store: () => blob.commit() };
        return { command: { principal, metadata, content }, discard: () => blob.discard() };
      } catch (error) {
        await upload.blob.discard();
        throw error;
      }
    }
    if (!contentType.startsWith('application/json')) throw new AppError(ErrorCode.UnsupportedMediaType, 'Send application/json (text) or multipart/form-data (a file).');
    const dto = await validateDto(TextSightingDto, request.body);
    const blob = await this.blobs.stage(Readable.from([Buffer.from(dto.text, 'utf8')]), limit);
    const { text: _text, ...metadata } = dto;
    void _text;
    const content = { sha256: blob.sha256, sizeBytes: blob.size, kind: 'text' as const, mediaType: 'text/plain; charset=utf-8', fileName: null, store: () => blob.commit() };
    return { command: { principal, metadata: metadata as SightingMetadataDto, content }, discard: () => blob.discard() };
  }

  @Get(':id')
  @Roles('officer', 'admin', 'creator')
  @ApiOperation({ summary: 'A sighting, its scan status and the reports it raised' })
  async get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    const [s]: Array<Record<string, unknown> & { reporter_id: string; sha256: Buffer; seen_at: Date; created_at: Date; time_stamp: Buffer | null }> = await this.dataSource.query(
      'SELECT * FROM sightings WHERE id = $1',
      [id],
    );
    const mayRead = s && (principal.role === 'officer' || principal.role === 'admin' || s.reporter_id === principal.partyId);
    if (!mayRead) throw new AppError(ErrorCode.SightingNotFound, `No sighting with id ${id}.`);
    const [fp]: Array<{ status: string; media: string; detail: string | null; extractor: string | null }> = await this.dataSource.query(
      `SELECT status, media, detail, extractor FROM content_fingerprints WHERE subject_kind = 'sighting' AND subject_id = $1`,
      [id],
    );
    const reports: Array<{ id: string; status: string; score: number; original_work_id: string }> = await this.dataSource.query(
      'SELECT id, status, score, original_work_id FROM infringement_reports WHERE suspect_sighting_id = $1 ORDER BY score DESC',
      [id],
    );
    const officer = principal.role === 'officer' || principal.role === 'admin';
    return {
      id: s.id,
      sha256: s.sha256.toString('hex'),
      contentKind: s.content_kind,
      sizeBytes: Number(s.size_bytes),
      title: s.title,
      sourceUrl: s.source_url,
      sourceDomain: s.source_domain,
      platform: s.platform,
      seenAt: s.seen_at.toISOString(),
      receivedAt: s.created_at.toISOString(),
      territory: s.territory,
      suspectPartyId: s.suspect_party_id,
      suspectName: s.suspect_name,
      notes: s.notes,
      timeStamped: s.time_stamp !== null,
      scan: fp ? { status: fp.status, media: fp.media, detail: fp.detail, extractor: fp.extractor } : { status: 'queued' },
      // Right holders learn how many works matched, officers which.
      reports: officer ? reports.map((r) => ({ id: r.id, status: r.status, score: r.score, originalWorkId: r.original_work_id })) : undefined,
      reportCount: reports.length,
    };
  }
}
