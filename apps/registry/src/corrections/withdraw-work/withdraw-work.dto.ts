import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class WithdrawWorkDto {
  @ApiProperty({ example: 'Registered by mistake.' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
