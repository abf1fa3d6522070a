// HTTP surface of registration: build a command, call the use case, pick the
// status code. Accepts JSON (hash-only) or multipart (upload) on one path.
import { Controller, Get, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BlobStore } from '#blob-store';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, isCursorInstant, isoInstant, LedgerProofService, UUID_PATTERN, validateDto, type AppConfig, type EntryProof, UuidParam } from '#platform';
import { RegisterWorkDto, UploadMetadataDto } from './dto/register-work.dto.js';
import { SearchWorksDto } from './dto/search-works.dto.js';
import { readMultipartRegistration } from './multipart-upload.js';
import { RegisterWorkUseCase } from './register-work/register-work.usecase.js';
import type { RegisterWorkCommand } from './register-work/register-work.command.js';
import { WorkHistoryQuery } from './work-history.query.js';
import type { WorkView } from './work-view.js';
import { WorksRepository } from './works.repository.js';

export const BLOB_STORE = Symbol('BLOB_STORE');

function withProof(work: WorkView, proof: EntryProof | undefined) {
  if (proof) return { ...work, ...proof, proofStatus: 'integrated' as const };
  return { ...work, ledgerIndex: null, proofStatus: 'pending' as const, proofUrl: `/v1/works/${work.id}` };
}

function encodeCursor(work: WorkView): string {
  return Buffer.from(JSON.stringify({ t: work.registeredAt, id: work.id })).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const { t, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly what encodeCursor writes: a forged time like "1" or an id of 36
    // dashes passed the old loose checks and failed in PostgreSQL as a 500.
    if (isCursorInstant(t) && typeof id === 'string' && UUID_PATTERN.test(id)) return { createdAt: t, id };
  } catch {
    // fall through
  }
  throw new AppError(ErrorCode.ValidationFailed, 'cursor is not one this API returned; start again without it.');
}

@ApiTags('works')
@ApiBearerAuth()
@Controller('v1/works')
export class WorksController {
  constructor(
    private readonly register: RegisterWorkUseCase,
    private readonly works: WorksRepository,
    private readonly history: WorkHistoryQuery,
    private readonly proofs: LedgerProofService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('creator')
  @ApiOperation({
    summary: 'Register a work',
    description:
      'JSON with `sha256` registers by hash only (the work stays private). multipart/form-data with a `file` part uploads the work ' +
      '(streamed and hashed into the content store) with metadata as a `metadata` JSON part or individual fields. ' +
      '201 with the ledger proof once integrated; 202 if the proof is not ready within the wait (fetch it from `proofUrl`); ' +
      '200 if you already registered the same content.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: RegisterWorkDto })
  @ApiResponse({ status: 201, description: 'Registered and integrated into the ledger.' })
  @ApiResponse({ status: 202, description: 'Registered; ledger proof pending.' })
  @ApiResponse({ status: 200, description: 'You already registered this content; the existing registration.' })
  async create(@Req() request: FastifyRequest, @Res() response: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    const { command, discard } = await this.buildCommand(request, principal);
    let result;
    try {
      result = await this.register.execute(command);
    } finally {
      // An upload the registration did not keep (refused, or already registered) leaves the store again.
      await discard();
    }
    const status = result.outcome === 'existing' ? HttpStatus.OK : result.proof ? HttpStatus.CREATED : HttpStatus.ACCEPTED;
    if (status !== HttpStatus.OK) response.header('Location', `/v1/works/${result.work.id}`);
    response.status(status).send(withProof(result.work, result.proof));
  }

  private async buildCommand(request: FastifyRequest, principal: Principal): Promise<{ command: RegisterWorkCommand; discard: () => Promise<void> }> {
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const upload = await readMultipartRegistration(request.raw, this.blobs, this.config.upload.maxBytes, { commit: 'later' });
      try {
        const metadata = await validateDto(UploadMetadataDto, upload.fields);
        if (metadata.sha256 && metadata.sha256.toLowerCase() !== upload.blob.sha256) {
          throw new AppError(ErrorCode.InvalidHash, `The uploaded file hashes to ${upload.blob.sha256}, not the sha256 you sent.`);
        }
        const content = { sizeBytes: upload.blob.size, mediaType: upload.mediaType, store: () => upload.blob.commit() };
        return { command: { principal, metadata, sha256: upload.blob.sha256, content }, discard: () => upload.blob.discard() };
      } catch (error) {
        await upload.blob.discard();
        throw error;
      }
    }
    if (!contentType.startsWith('application/json')) {
      throw new AppError(ErrorCode.UnsupportedMediaType, 'Send application/json (hash-only) or multipart/form-data (upload).');
    }
    const dto = await validateDto(RegisterWorkDto, request.body);
    return { command: { principal, metadata: dto, sha256: dto.sha256.toLowerCase() }, discard: async () => undefined };
  }

  @Get()
  @ApiOperation({ summary: 'Search works by hash, owner, title text, type and registration date; newest first, cursor-paginated' })
  async search(@Query() query: SearchWorksDto) {
    const limit = query.limit ?? 20;
    const found = await this.works.search({
      sha256: query.sha256?.toLowerCase(),
      owner: query.owner,
      q: query.q,
      type: query.type,
      from: query.from === undefined ? undefined : isoInstant('from', query.from),
      to: query.to === undefined ? undefined : isoInstant('to', query.to),
      limit: limit + 1,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = await this.works.views(found.slice(0, limit));
    return { items: page, nextCursor: found.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A registration with its ledger proof' })
  async get(@Param('id', UuidParam) id: string) {
    const work = await this.works.findEntity(id);
    if (!work) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${id}.`);
    return withProof(await this.works.view(work), await this.proofs.forEntry(work.entryId));
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every ledger entry about the work, oldest first' })
  async workHistory(@Param('id', UuidParam) id: string) {
    return this.history.execute(id);
  }
}
