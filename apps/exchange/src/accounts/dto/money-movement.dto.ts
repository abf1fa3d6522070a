import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsUuid } from '#platform';

/** A deposit into, or a payout from, a party's account, as booked by the exchange. */
export class MoneyMovementDto {
  @ApiProperty({ format: 'uuid' })
  @IsUuid()
  partyId: string;

  @ApiProperty({ description: 'Integer fen, as a decimal string (or a safe integer).', example: '1000000' })
  @IsDefined()
  amount: string | number;

  @ApiProperty({ description: "The bank's reference for this movement; each reference is booked once.", example: 'ICBC-20260501-000123' })
  @IsString()
  @Length(1, 200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'externalRef must be printable ASCII without spaces' })
  externalRef: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  memo?: string;
}
