import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsISO8601, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { WORK_TYPES, type WorkType } from '#persistence';
import { AuthorDto, PublicationDto } from '../../works/dto/register-work.dto.js';
import { IsUuid } from '#platform';

/** Corrected or added fields. Omit a field to keep it; null removes an optional one. */
export class MetadataChangesDto {
  @ApiPropertyOptional({ example: '春江花月夜' })
  @ValidateIf((o: MetadataChangesDto) => o.title !== undefined)
  @IsString()
  @Length(1, 500)
  title?: string;

  @ApiPropertyOptional({ enum: WORK_TYPES })
  @ValidateIf((o: MetadataChangesDto) => o.type !== undefined)
  @IsIn(WORK_TYPES as unknown as string[])
  type?: WorkType;

  @ApiPropertyOptional({ type: [AuthorDto] })
  @ValidateIf((o: MetadataChangesDto) => o.authors !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AuthorDto)
  authors?: AuthorDto[];

  @ApiPropertyOptional({ example: '2026-04-30', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'completedOn must be YYYY-MM-DD' })
  completedOn?: string | null;

  @ApiPropertyOptional({ type: PublicationDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PublicationDto)
  publication?: PublicationDto | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUuid()
  derivedFrom?: string | null;
}

export class AmendWorkDto {
  @ApiProperty({ example: 'The author\'s name was misspelt.', description: 'Why the registration is corrected or supplemented.' })
  @IsString()
  @Length(1, 2000)
  reason: string;

  @ApiProperty({ type: MetadataChangesDto })
  // ValidateNested alone lets a missing "changes" through, and the use case
  // then failed on it with a 500 (issue 6, bad-input test).
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => MetadataChangesDto)
  changes: MetadataChangesDto;
}
