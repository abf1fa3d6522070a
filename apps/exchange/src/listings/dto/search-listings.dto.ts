import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageLimit, IsUuid } from '#platform';

export class SearchListingsDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuid()
  work?: string;

  @ApiPropertyOptional({ enum: ['awaiting_consent', 'active', 'sold', 'withdrawn'] })
  @IsOptional()
  @IsIn(['awaiting_consent', 'active', 'sold', 'withdrawn'])
  status?: 'awaiting_consent' | 'active' | 'sold' | 'withdrawn';

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
