import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CreateListingDto } from '../../listings/dto/create-listing.dto.js';
import { IsUuid } from '#platform';

/** Terms a buyer and the right holders agreed off the order book, recorded by the exchange. */
export class CreateDealDto extends CreateListingDto {
  @ApiProperty({ format: 'uuid', description: 'The buyer (licensee or assignee); it consents too, then pays at settlement.' })
  @IsUuid()
  buyerId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Assignment: the co-owner whose share is sold.' })
  @IsOptional()
  @IsUuid()
  sellerId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 10000, description: "The exchange's fee in basis points; default the standard fee." })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  feeBp?: number;
}
