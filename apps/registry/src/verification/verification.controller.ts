// Public verification (no key): look a registration up by content hash or by
// work id, with everything needed to check it against the public ledger, and
// the /verify page that does those checks in the browser.
import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { PublicLookup } from '#certificate';
import { Public } from '#auth';
import { StaticPage } from '../static-pages/static-page.js';
import { AppError, ErrorCode } from '#errors';
import { PublicRegistrationQuery } from './public-registration.query.js';
import { UuidParam } from '#platform';

@ApiTags('verification (public)')
@Public()
@Controller()
export class VerificationController {
  private readonly files = new StaticPage('verify', ['index.html', 'verify.js', 'verify.css']);

  constructor(private readonly registrations: PublicRegistrationQuery) {}

  @Get('v1/verify/works')
  @ApiOperation({
    summary: 'Registrations of this content (by SHA-256), earliest first, with ledger proofs',
    description: 'For checking a file without a key: the registration number, time, registrant, status, entries with inclusion proofs against one checkpoint, and the time-stamp response. No title or other metadata.',
  })
  @ApiQuery({ name: 'sha256', description: 'Hex SHA-256 of the file' })
  async bySha256(@Query('sha256') sha256: unknown): Promise<PublicLookup> {
    if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
      throw new AppError(ErrorCode.ValidationFailed, 'Query parameter "sha256" must be 64 hexadecimal characters.');
    }
    return this.registrations.bySha256(sha256.toLowerCase());
  }

  @Get('v1/verify/works/:id')
  @ApiOperation({ summary: 'One registration by work id (the QR code on a certificate), with ledger proofs' })
  async byId(@Param('id', UuidParam) id: string): Promise<PublicLookup> {
    const lookup = await this.registrations.byId(id);
    if (lookup.registrations.length === 0) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${id}.`);
    return lookup;
  }

  @Get('verify')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The verification page: drop a file or a certificate; every check runs in the browser' })
  page(@Res() response: FastifyReply): void {
    this.files.sendIndex(response);
  }

  @Get('verify/:file')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'Script and style of the verification page' })
  asset(@Param('file') file: string, @Res() response: FastifyReply): void {
    this.files.sendAsset(response, file);
  }
}
