import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { ROLES, type Role } from '#persistence';
import { IsUuid } from '#platform';

export class NewPartyDto {
  @ApiProperty({ example: '上海某某文化传媒有限公司' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'legal@example.com', description: 'How to reach the party (email, phone, address).' })
  @IsString()
  @Length(1, 200)
  contact: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[])
  role: Role;

  @ApiPropertyOptional({ type: NewPartyDto, description: 'Creates a new party that the key acts for.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewPartyDto)
  party?: NewPartyDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'Issue another key for an existing party instead.' })
  @IsOptional()
  @IsUuid()
  partyId?: string;
}
