import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { REPORT_STATUSES, type ReportStatus } from '#infringement';
import { PageLimit, IsUuid } from '#platform';

export class SearchReportsDto {
  @ApiPropertyOptional({ description: 'One status or several, comma-separated (open,investigating,confirmed,dismissed,licensed).' })
  @IsOptional()
  @Matches(/^(open|investigating|confirmed|dismissed|licensed)(,(open|investigating|confirmed|dismissed|licensed))*$/, { message: 'status must be statuses separated by commas' })
  status?: string;

  @ApiPropertyOptional({ enum: ['text', 'image', 'other'] })
  @IsOptional()
  @IsIn(['text', 'image', 'other'])
  media?: string;

  @ApiPropertyOptional({ enum: ['critical', 'high', 'medium'] })
  @IsOptional()
  @IsIn(['critical', 'high', 'medium'])
  severity?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  minScore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  maxScore?: number;

  @ApiPropertyOptional({ description: 'Detected at or after (ISO 8601).' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Detected before (ISO 8601).' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reports where this work is the original or the suspect.' })
  @IsOptional()
  @IsUuid()
  work?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reports on works this party owns.' })
  @IsOptional()
  @IsUuid()
  owner?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reports naming this party as the suspect.' })
  @IsOptional()
  @IsUuid()
  suspectParty?: string;

  @ApiPropertyOptional({ description: 'Source domain of a sighting (subdomains included), e.g. example.com.' })
  @IsOptional()
  @Matches(/^[a-z0-9.-]{1,253}$/i, { message: 'domain must be a host name' })
  domain?: string;

  @ApiPropertyOptional({ description: 'Text in the works\' titles or registration numbers, the source URL, the platform or any note (case-insensitive).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ enum: ['-detectedAt', 'detectedAt', '-score', 'score'], default: '-detectedAt' })
  @IsOptional()
  @IsIn(['-detectedAt', 'detectedAt', '-score', 'score'])
  sort?: '-detectedAt' | 'detectedAt' | '-score' | 'score';

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (same sort).' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  cursor?: string;
}

export class ChangeReportStatusDto {
  @ApiProperty({ enum: REPORT_STATUSES })
  @IsIn(REPORT_STATUSES as unknown as string[])
  status: ReportStatus;

  @ApiProperty({ description: 'Why: kept in the report history (and, for a confirmation, on the ledger).', example: 'Compared side by side; the copy reproduces chapters 1-3.' })
  @IsString()
  @Length(3, 2000)
  reason: string;
}

export class AddReportNoteDto {
  @ApiProperty()
  @IsString()
  @Length(1, 5000)
  note: string;
}
