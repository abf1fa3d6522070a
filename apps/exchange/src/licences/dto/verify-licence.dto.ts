import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { MEDIA, RIGHTS } from '#licensing';
import { IsUuid } from '#platform';

export class VerifyLicenceDto {
  @ApiProperty({ format: 'uuid', description: 'The work.' })
  @IsUuid()
  work: string;

  @ApiProperty({ format: 'uuid', description: 'The party using it.' })
  @IsUuid()
  licensee: string;

  @ApiProperty({ enum: RIGHTS })
  @IsIn(RIGHTS as unknown as string[])
  right: string;

  @ApiProperty({ example: 'CN', description: 'ISO 3166-1 alpha-2 code, or WORLD to ask about everywhere at once.' })
  @Matches(/^(?:[A-Z]{2}|WORLD)$/, { message: 'territory must be an upper-case ISO 3166-1 alpha-2 code or WORLD' })
  territory: string;

  @ApiProperty({ enum: MEDIA })
  @IsIn(MEDIA as unknown as string[])
  media: string;

  @ApiPropertyOptional({ example: '2026-09-01', description: 'Day of the use, YYYY-MM-DD; default today (Asia/Shanghai).' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'at must be YYYY-MM-DD' })
  at?: string;
}
