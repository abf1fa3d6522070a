// The `limit` query parameter every paged search takes: an integer from 1 to
// `max`, documented with the default the handler applies when it is absent.
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const PageLimit = (max = 100, byDefault = 20): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ minimum: 1, maximum: max, default: byDefault }), IsOptional(), Type(() => Number), IsInt(), Min(1), Max(max));
