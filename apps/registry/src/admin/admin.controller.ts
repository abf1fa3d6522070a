// Admin endpoints: issue and revoke API keys. The key is in the response once
// and never again; only its hash is stored.
import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyService, Roles } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { CreateApiKeyDto } from './create-api-key.dto.js';
import { UuidParam } from '#platform';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/api-keys')
export class AdminController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Issue an API key (shown once) for a new or existing party' })
  async create(@Body() body: CreateApiKeyDto) {
    if ((body.party === undefined) === (body.partyId === undefined)) {
      throw new AppError(ErrorCode.ValidationFailed, 'Give exactly one of "party" (a new party) or "partyId" (an existing one).');
    }
    const issued = await this.keys.issue(body.role, body.party ?? { id: body.partyId! });
    return { key: issued.key, keyId: issued.keyId, partyId: issued.partyId, role: issued.role };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  async revoke(@Param('keyId', UuidParam) keyId: string): Promise<void> {
    await this.keys.revoke(keyId);
  }
}
