// The officers' search page (/officers): plain HTML and JavaScript that call
// the same API as any client, with the officer's key kept in the browser tab.
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '#auth';
import { StaticPage } from '../../static-pages/static-page.js';

@ApiTags('infringement reports')
@Public()
@Controller('officers')
export class OfficersPageController {
  private readonly files = new StaticPage('officers', ['index.html', 'officers.js', 'officers.css']);

  @Get()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The officers\' search page (needs an officer key, entered in the page)' })
  page(@Res() response: FastifyReply): void {
    this.files.sendIndex(response);
  }

  @Get(':file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string, @Res() response: FastifyReply): void {
    this.files.sendAsset(response, file);
  }
}
