// The officers' search page (/officers): plain HTML and JavaScript that call
// the same API as any client, with the officer's key kept in the browser tab.
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Public } from '#auth';

const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'officers.js': 'text/javascript; charset=utf-8',
  'officers.css': 'text/css; charset=utf-8',
};

/** apps/registry/public/officers, found from the source (tests) or the build (dist/...). */
function pageDirectory(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10; i++) {
    const candidate = path.join(dir, 'apps', 'registry', 'public', 'officers');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('apps/registry/public/officers not found');
}

@ApiTags('infringement reports')
@Public()
@Controller('officers')
export class OfficersPageController {
  private readonly pageDir = pageDirectory();
  private readonly pages = new Map<string, Buffer>();

  @Get()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The officers\' search page (needs an officer key, entered in the page)' })
  page(@Res() response: Response): void {
    this.send(response, 'index.html');
  }

  @Get(':file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string, @Res() response: Response): void {
    // Own keys only: `in` also finds "constructor" or "toString" on the prototype (a 500; issue 6).
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
