import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { WORK_TYPES, type WorkType } from '#persistence';
import { PageLimit, IsUuid } from '#platform';

export class SearchWorksDto {
  @ApiPropertyOptional({ description: 'Exact content hash (hex).' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal characters' })
  sha256?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Works this party owns (or co-owns).' })
  @IsOptional()
  @IsUuid()
  owner?: string;

  @ApiPropertyOptional({ description: 'Text contained in the title (case-insensitive).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ enum: WORK_TYPES })
  @IsOptional()
  @IsIn(WORK_TYPES as unknown as string[])
  type?: WorkType;

  @ApiPropertyOptional({ description: 'Registered at or after (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Registered before (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
