import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '#auth';
import { ReconciliationQuery } from './reconciliation.query.js';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Roles('exchange')
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationQuery) {}

  @Get()
  @ApiOperation({ summary: 'Prove the books: balances + pending holds = deposits - payouts; every settlement complete (ok: true/false, with problems)' })
  get() {
    return this.reconciliation.execute();
  }
}
