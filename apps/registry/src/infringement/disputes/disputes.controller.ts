// Authorship disputes over HTTP: any party but the work's own registrant and
// owners may open one; officers resolve them.
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { OpenDisputeDto, ResolveDisputeDto, SearchDisputesDto } from './disputes.dto.js';
import { DisputesService } from './disputes.service.js';
import { UuidParam } from '#platform';

@ApiTags('disputes')
@ApiBearerAuth()
@Controller()
export class DisputesController {
  constructor(private readonly disputes: DisputesService) {}

  @Post('v1/works/:id/disputes')
  @HttpCode(201)
  @Roles('creator')
  @ApiOperation({ summary: 'Contest the authorship of a registration (work.disputed on the ledger); while open the work cannot be traded' })
  open(@Param('id', UuidParam) workId: string, @Body() body: OpenDisputeDto, @CurrentPrincipal() principal: Principal) {
    return this.disputes.open(principal, workId, body);
  }

  @Get('v1/disputes')
  @ApiOperation({ summary: 'Disputes (officers, admin and the exchange: all; others: their own and those against their works)' })
  search(@Query() query: SearchDisputesDto, @CurrentPrincipal() principal: Principal) {
    return this.disputes.search(principal, query).then((items) => ({ items }));
  }

  @Get('v1/disputes/:id')
  @ApiOperation({ summary: 'One dispute with its ledger proofs' })
  get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.disputes.get(principal, id);
  }

  @Post('v1/disputes/:id/resolution')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Resolve a dispute once: upheld or rejected, with a reason (work.dispute-resolved on the ledger)' })
  resolve(@Param('id', UuidParam) id: string, @Body() body: ResolveDisputeDto, @CurrentPrincipal() principal: Principal) {
    return this.disputes.resolve(principal, id, body);
  }
}
