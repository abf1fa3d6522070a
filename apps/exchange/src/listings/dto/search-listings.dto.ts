import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class SearchListingsDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  work?: string;

  @ApiPropertyOptional({ enum: ['awaiting_consent', 'active', 'sold', 'withdrawn'] })
  @IsOptional()
  @IsIn(['awaiting_consent', 'active', 'sold', 'withdrawn'])
  status?: 'awaiting_consent' | 'active' | 'sold' | 'withdrawn';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
