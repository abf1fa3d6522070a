import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class StatementQueryDto {
  @ApiPropertyOptional({ description: 'Return transfers after this transfer id (the previous page\'s nextCursor).' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a transfer id' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
