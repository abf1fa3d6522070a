// Checks anyone can make: a licence with its ledger proof, and whether a
// given use of a work is licensed (and by which licence).
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { LicensingError, type Medium, type Right } from '#licensing';
import { LedgerProofService, UuidParam } from '#platform';
import { VerifyLicenceDto } from './dto/verify-licence.dto.js';
import { LicencesRepository } from './licences.repository.js';
import { toLicenceView } from './licence-view.js';
import { VerifyLicence } from './verify-licence.query.js';

const shanghaiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

@ApiTags('licences')
@Public()
@Controller('v1/licences')
export class LicencesController {
  constructor(
    private readonly licences: LicencesRepository,
    private readonly verifier: VerifyLicence,
    private readonly proofs: LedgerProofService,
  ) {}

  @Get('verify')
  @ApiOperation({ summary: 'Is this use of the work licensed to this party, and by which licence? (public)' })
  async verify(@Query() query: VerifyLicenceDto) {
    try {
      return await this.verifier.execute({
        workId: query.work,
        licenseeId: query.licensee,
        right: query.right as Right,
        territory: query.territory,
        media: query.media as Medium,
        at: query.at ?? shanghaiToday(),
      });
    } catch (error) {
      if (error instanceof LicensingError) throw new AppError(ErrorCode.ValidationFailed, error.message, { field: error.field });
      throw error;
    }
  }

  @Get(':id')
  @ApiOperation({ summary: "A licence with its ledger entry's inclusion proof against the signed checkpoint (public)" })
  async get(@Param('id', UuidParam) id: string) {
    const licence = await this.licences.find(id);
    if (!licence) throw new AppError(ErrorCode.LicenceNotFound, `No licence with id ${id}.`);
    const proof = await this.proofs.forEntry(licence.entryId);
    return { ...toLicenceView(licence), ...(proof ? { ...proof, proofStatus: 'integrated' as const } : { ledgerIndex: null, proofStatus: 'pending' as const }) };
  }
}
