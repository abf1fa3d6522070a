import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { LicenceTermsDto } from './licence-terms.dto.js';
import { IsUuid } from '#platform';

export class CreateListingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUuid()
  workId: string;

  @ApiProperty({ enum: ['licence', 'assignment'] })
  @IsIn(['licence', 'assignment'])
  kind: 'licence' | 'assignment';

  @ApiPropertyOptional({ type: LicenceTermsDto, description: 'Required for a licence.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LicenceTermsDto)
  terms?: LicenceTermsDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'Assignment: the part of your share sold, in basis points of the whole work.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  shareBp?: number;

  @ApiProperty({ description: 'Price in integer fen, as a decimal string (or a safe integer).', example: '500000' })
  @IsDefined()
  price: string | number;
}
