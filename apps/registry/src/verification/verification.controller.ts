// Public verification (no key): look a registration up by content hash or by
// work id, with everything needed to check it against the public ledger, and
// the /verify page that does those checks in the browser.
import { Controller, Get, Header, NotFoundException, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublicLookup } from '#certificate';
import { Public } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { PublicRegistrationQuery } from './public-registration.query.js';

const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'verify.js': 'text/javascript; charset=utf-8',
  'verify.css': 'text/css; charset=utf-8',
};

/** apps/registry/public/verify, found from the source (tests) or the build (dist/...). */
function pageDirectory(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'apps', 'registry', 'public', 'verify');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('apps/registry/public/verify not found');
}

@ApiTags('verification (public)')
@Public()
@Controller()
export class VerificationController {
  private readonly pages = new Map<string, Buffer>();
  private readonly pageDir = pageDirectory();

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
  async byId(@Param('id', new ParseUUIDPipe()) id: string): Promise<PublicLookup> {
    const lookup = await this.registrations.byId(id);
    if (lookup.registrations.length === 0) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${id}.`);
    return lookup;
  }

  @Get('verify')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The verification page: drop a file or a certificate; every check runs in the browser' })
  page(@Res() response: Response): void {
    this.send(response, 'index.html');
  }

  @Get('verify/:file')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'Script and style of the verification page' })
  asset(@Param('file') file: string, @Res() response: Response): void {
    // Own keys only: `in` also found "constructor", "__proto__" and "toString"
    // on the prototype, and reading those files answered 500 (issue 6).
    if (!Object.hasOwn(PAGE_FILES, file) || file === 'index.html') throw new NotFoundException();
    this.send(response, file);
  }

  private send(response: Response, file: string): void {
    let body = this.pages.get(file);
    if (!body) {
      body = fs.readFileSync(path.join(this.pageDir, file));
      this.pages.set(file, body);
    }
    response.status(200).setHeader('Content-Type', PAGE_FILES[file]!).end(body);
  }
}
