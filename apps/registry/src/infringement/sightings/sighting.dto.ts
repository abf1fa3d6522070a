import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { MEDIA, RIGHTS } from '#licensing';
import { IsUuid } from '#platform';

/**
 * One line of text: no control characters and no line or paragraph
 * separators. These fields are quoted into takedown notices, where a newline
 * could forge a section under the right holder's name.
 */
const ONE_LINE = /^[^\p{Cc}\u2028\u2029]*$/u;
const oneLine = (field: string) => Matches(ONE_LINE, { message: `${field} must be a single line of text (no line breaks or control characters)` });

/** Where and when a suspect copy was seen; common to JSON (text) and multipart (file) submissions. */
export class SightingMetadataDto {
  @ApiProperty({ example: 'https://video.example.com/watch/123', description: 'Where the copy was found (http or https).' })
  @IsString()
  @Length(8, 2000)
  @Matches(/^https?:\/\/[^\s]+$/i, { message: 'sourceUrl must be an http(s) URL' })
  sourceUrl: string;

  @ApiProperty({ example: 'Example Video', description: 'The platform or site.' })
  @IsString()
  @Length(1, 100)
  @oneLine('platform')
  platform: string;

  @ApiProperty({ example: '2026-05-01T08:30:00Z', description: 'When the copy was seen (ISO 8601, not in the future).' })
  @IsISO8601({ strict: true })
  seenAt: string;

  @ApiPropertyOptional({ description: 'A label for the copy (its title on the platform).' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @oneLine('title')
  title?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The registered party believed to publish the copy, if known (used for the licence check).' })
  @IsOptional()
  @IsUuid()
  suspectPartyId?: string;

  @ApiPropertyOptional({ description: 'The account or name under which the copy is published.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @oneLine('suspectName')
  suspectName?: string;

  @ApiPropertyOptional({ example: 'CN', description: 'ISO 3166-1 alpha-2 country where the copy is offered (default CN).' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'territory must be an upper-case ISO 3166-1 alpha-2 code' })
  territory?: string;

  @ApiPropertyOptional({ enum: RIGHTS, description: 'The right the copy exercises (default information_network_dissemination).' })
  @IsOptional()
  @IsIn(RIGHTS as unknown as string[])
  right?: string;

  @ApiPropertyOptional({ enum: MEDIA, description: 'The medium (default online).' })
  @IsOptional()
  @IsIn(MEDIA as unknown as string[])
  medium?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

export class TextSightingDto extends SightingMetadataDto {
  @ApiProperty({ description: 'The suspect text itself (up to 1 MB); or upload a file as multipart/form-data.' })
  @IsString()
  @Length(1, 1_000_000)
  text: string;
}
