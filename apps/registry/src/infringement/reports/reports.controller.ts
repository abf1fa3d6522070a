// Officers' API: search reports, read one with its evidence, move it through
// its workflow, add notes, export the evidence package and takedown notice.
// Right holders (creator keys) see the reports on their own works, read-only.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { isCursorInstant, isoInstant, UUID_PATTERN, UuidParam } from '#platform';
import { ChangeReportStatusUseCase } from './change-report-status.usecase.js';
import { EvidencePackageService } from './evidence-package.service.js';
import { ReportDetailQuery } from './report-detail.query.js';
import { toReportSummary } from './report-view.js';
import { AddReportNoteDto, ChangeReportStatusDto, SearchReportsDto } from './reports.dto.js';
import { ReportsRepository, type ReportSort } from './reports.repository.js';

function encodeCursor(sort: ReportSort, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, id })).toString('base64url');
}

function decodeCursor(cursor: string, sort: ReportSort): { value: string | number; id: string } {
  try {
    const { s, v, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly what encodeCursor writes: a forged time of "1" or an id of 36 dashes was a 500 (issue 6).
    const valueOk = sort.endsWith('score') ? typeof v === 'number' && Number.isFinite(v) : isCursorInstant(v);
    if (s === sort && valueOk && typeof id === 'string' && UUID_PATTERN.test(id)) return { value: v, id };
  } catch {
    // fall through
  }
  throw new AppError(ErrorCode.ValidationFailed, 'cursor is not one this API returned for this sort; start again without it.');
}

@ApiTags('infringement reports')
@ApiBearerAuth()
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly detail: ReportDetailQuery,
    private readonly changeStatus: ChangeReportStatusUseCase,
    private readonly evidence: EvidencePackageService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Roles('officer', 'admin', 'creator')
  @ApiOperation({ summary: 'Search infringement reports (filters, text search, sort, cursor paging)', description: 'Creator keys see only reports on works they own.' })
  async search(@Query() query: SearchReportsDto, @CurrentPrincipal() principal: Principal) {
    const limit = query.limit ?? 20;
    const sort = query.sort ?? '-detectedAt';
    const rows = await this.reports.search({
      statuses: query.status?.split(','),
      media: query.media,
      severity: query.severity,
      minScore: query.minScore,
      maxScore: query.maxScore,
      // As PostgreSQL reads them: IsISO8601 passes week dates and year 0000, which were a 500 (issue 6).
      from: query.from === undefined ? undefined : isoInstant('from', query.from),
      to: query.to === undefined ? undefined : isoInstant('to', query.to),
      work: query.work,
      owner: query.owner,
      suspectParty: query.suspectParty,
      domain: query.domain,
      q: query.q,
      rightHolder: principal.role === 'creator' ? (principal.partyId ?? '00000000-0000-0000-0000-000000000000') : undefined,
      sort,
      limit: limit + 1,
      after: query.cursor ? decodeCursor(query.cursor, sort) : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toReportSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(sort, sort.endsWith('score') ? last.score : last.detected_at.toISOString(), last.id) : null,
    };
  }

  @Get(':id')
  @Roles('officer', 'admin', 'creator')
  @ApiOperation({ summary: 'One report: both works, scores, matched passages or regions, priority proof, licence check, history' })
  get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.detail.execute(principal, id);
  }

  @Post(':id/status')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Move the report through its workflow (with a reason); confirming appends infringement.confirmed to the ledger' })
  async status(@Param('id', UuidParam) id: string, @Body() body: ChangeReportStatusDto, @CurrentPrincipal() principal: Principal) {
    await this.changeStatus.execute({ principal, reportId: id, status: body.status, reason: body.reason });
    return this.detail.execute(principal, id);
  }

  @Post(':id/notes')
  @HttpCode(201)
  @Roles('officer')
  @ApiOperation({ summary: 'Add a note to the report history (searchable)' })
  async note(@Param('id', UuidParam) id: string, @Body() body: AddReportNoteDto, @CurrentPrincipal() principal: Principal) {
    const row = await this.detail.rowFor(principal, id);
    await this.dataSource.query(
      `INSERT INTO report_events (report_id, kind, from_status, to_status, actor_kind, actor_party_id, actor_key_id, actor_role, note)
       VALUES ($1, 'note', NULL, NULL, 'party', $2, $3, $4, $5)`,
      [row.id, principal.partyId, principal.keyId, principal.role, body.note],
    );
    return this.detail.execute(principal, id);
  }

  @Get(':id/evidence')
  @Roles('officer', 'admin', 'creator')
  @ApiOperation({
    summary: 'The evidence package (JSON): both works\' certificates or the sighting, ledger proofs, similarity evidence, history, takedown notice',
    description: 'Verifies offline: `npm run verify -- evidence.json --key <ledger verifier key>`.',
  })
  async evidencePackage(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const pkg = await this.evidence.build(principal, id);
    response.status(200).header('Content-Disposition', `attachment; filename="report-${id}.evidence.json"`).header('Cache-Control', 'no-store').send(pkg);
  }

  @Get(':id/takedown-notice')
  @Roles('officer', 'admin', 'creator')
  @ApiOperation({ summary: 'The takedown notice as text (the same as in the evidence package)' })
  async takedown(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const pkg = await this.evidence.build(principal, id);
    if (!pkg.takedownNotice) throw new AppError(ErrorCode.InvalidStatusChange, `The report is ${pkg.report.status}: no takedown notice is issued for it.`);
    response.status(200).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(pkg.takedownNotice.text);
  }
}
