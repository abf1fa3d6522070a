import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { AuthorDto } from '../../works/dto/register-work.dto.js';
import { IsUuid } from '#platform';

export class OpenDisputeDto {
  @ApiProperty({ description: 'Why the registration\'s authorship is wrong (kept on the record; its hash goes to the ledger).' })
  @IsString()
  @Length(10, 5000)
  grounds: string;

  @ApiPropertyOptional({ type: [AuthorDto], description: 'Who the claimant says the authors are.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AuthorDto)
  claimedAuthors?: AuthorDto[];
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['upheld', 'rejected'], description: 'upheld: the claim is right; rejected: the registration stands.' })
  @IsIn(['upheld', 'rejected'])
  outcome: 'upheld' | 'rejected';

  @ApiProperty()
  @IsString()
  @Length(3, 5000)
  reason: string;
}

export class SearchDisputesDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuid()
  work?: string;

  @ApiPropertyOptional({ enum: ['open', 'upheld', 'rejected'] })
  @IsOptional()
  @IsIn(['open', 'upheld', 'rejected'])
  status?: string;
}
