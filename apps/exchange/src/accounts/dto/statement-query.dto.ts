import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PageLimit } from '#platform';

export class StatementQueryDto {
  @ApiPropertyOptional({ description: 'Return transfers after this transfer id (the previous page\'s nextCursor).' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be a transfer id' })
  after?: string;

  @PageLimit(500, 100)
  limit?: number;
}
