// Corrections of a registration: supplementary registrations (amendments) and
// withdrawal. Both append ledger entries; nothing already recorded changes.
import { Body, Controller, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AmendWorkDto } from './amend-work/amend-work.dto.js';
import { AmendWorkUseCase } from './amend-work/amend-work.usecase.js';
import { WithdrawWorkDto } from './withdraw-work/withdraw-work.dto.js';
import { WithdrawWorkUseCase } from './withdraw-work/withdraw-work.usecase.js';
import { UuidParam } from '#platform';

@ApiTags('works')
@ApiBearerAuth()
@Controller('v1/works')
export class CorrectionsController {
  constructor(
    private readonly amend: AmendWorkUseCase,
    private readonly withdraw: WithdrawWorkUseCase,
  ) {}

  @Post(':id/amendments')
  @Roles('creator')
  @ApiOperation({
    summary: 'Supplementary registration: correct or add metadata, with a reason',
    description:
      'Appends a work.amended ledger entry that points at the original registration; the original entry is never changed. ' +
      'Registrant or owners only. Omitted fields are kept; null removes an optional field.',
  })
  @ApiResponse({ status: 201, description: 'Recorded and integrated; the body carries the entry proof.' })
  @ApiResponse({ status: 202, description: 'Recorded; the ledger proof is still pending.' })
  async amendWork(@Param('id', UuidParam) id: string, @Body() dto: AmendWorkDto, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const result = await this.amend.execute(principal, id, dto);
    response.status(result.proof ? HttpStatus.CREATED : HttpStatus.ACCEPTED).send({ ...result.amendment, work: result.work, proof: result.proof ?? null });
  }

  @Post(':id/withdrawal')
  @Roles('creator')
  @ApiOperation({
    summary: 'Withdraw a registration (registrant only)',
    description: 'Appends a work.withdrawn ledger entry; the work stays on record, marked withdrawn, and cannot be amended afterwards.',
  })
  @ApiResponse({ status: 201, description: 'Withdrawn and integrated.' })
  @ApiResponse({ status: 202, description: 'Withdrawn; the ledger proof is still pending.' })
  async withdrawWork(@Param('id', UuidParam) id: string, @Body() dto: WithdrawWorkDto, @CurrentPrincipal() principal: Principal, @Res() response: FastifyReply): Promise<void> {
    const result = await this.withdraw.execute(principal, id, dto.reason);
    response.status(result.proof ? HttpStatus.CREATED : HttpStatus.ACCEPTED).send({ ...result.withdrawal, work: result.work, proof: result.proof ?? null });
  }
}
