import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { WORK_TYPES, type WorkType } from '#persistence';
import { IsUuid } from '#platform';

export class AuthorDto {
  @ApiProperty({ example: '李白' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'author', description: 'author, composer, photographer, translator, ...' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  role?: string;
}

export class OwnerShareDto {
  @ApiProperty({ format: 'uuid' })
  @IsUuid()
  partyId: string;

  @ApiProperty({ minimum: 1, maximum: 10000, description: 'Share in basis points; all shares sum to 10,000.' })
  @IsInt()
  @Min(1)
  @Max(10000)
  shareBp: number;
}

export class PublicationDto {
  @ApiProperty({ example: '2026-05-01' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @ApiProperty({ example: 'Shanghai' })
  @IsString()
  @Length(1, 200)
  place: string;
}

/** Registration metadata, common to JSON (hash-only) and multipart (upload) registrations. */
export class WorkMetadataDto {
  @ApiProperty({ example: '静夜思' })
  @IsString()
  @Length(1, 500)
  title: string;

  @ApiProperty({ enum: WORK_TYPES })
  @IsIn(WORK_TYPES as unknown as string[])
  type: WorkType;

  @ApiProperty({ type: [AuthorDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AuthorDto)
  authors: AuthorDto[];

  @ApiPropertyOptional({ type: [OwnerShareDto], description: 'Co-owners; default: the registrant holds 10,000 bp.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OwnerShareDto)
  owners?: OwnerShareDto[];

  @ApiPropertyOptional({ example: '2026-04-30', description: 'Completion date, YYYY-MM-DD.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'completedOn must be YYYY-MM-DD' })
  completedOn?: string;

  @ApiPropertyOptional({ type: PublicationDto, description: 'First publication, if published.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PublicationDto)
  publication?: PublicationDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'An earlier registration this work derives from.' })
  @IsOptional()
  @IsUuid()
  derivedFrom?: string;
}

export class RegisterWorkDto extends WorkMetadataDto {
  @ApiProperty({ description: 'Hex SHA-256 of the work (hash-only registration; the work stays private).', example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal characters' })
  sha256: string;
}

export class UploadMetadataDto extends WorkMetadataDto {
  @ApiPropertyOptional({ description: 'If given, the upload is refused unless its SHA-256 equals this.' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal characters' })
  sha256?: string;
}
