import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MEDIA, RIGHTS } from '#licensing';

export class PeriodDto {
  @ApiProperty({ example: '2026-07-01', description: 'First licensed day (YYYY-MM-DD).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'start must be YYYY-MM-DD' })
  start: string;

  @ApiProperty({ example: '2027-07-01', description: 'First day no longer licensed (exclusive).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'end must be YYYY-MM-DD' })
  end: string;
}

/** Licence terms; the licensing library re-validates and normalises them. */
export class LicenceTermsDto {
  @ApiProperty({ enum: RIGHTS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(RIGHTS.length)
  @IsIn(RIGHTS as unknown as string[], { each: true })
  rights: string[];

  @ApiProperty()
  @IsBoolean()
  exclusive: boolean;

  @ApiProperty({ example: ['CN'], description: 'ISO 3166-1 alpha-2 codes, or ["WORLD"].' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(250)
  @IsString({ each: true })
  @Length(2, 5, { each: true })
  territories: string[];

  @ApiProperty({ enum: MEDIA, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MEDIA.length)
  @IsIn(MEDIA as unknown as string[], { each: true })
  media: string[];

  @ApiProperty({ type: PeriodDto })
  @ValidateNested()
  @Type(() => PeriodDto)
  period: PeriodDto;

  @ApiProperty()
  @IsBoolean()
  sublicensable: boolean;

  @ApiPropertyOptional({ minimum: 1, description: 'Maximum number of uses; absent means unlimited.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  useCount?: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  purpose?: string;
}
