// Marks a mutating route as requiring an Idempotency-Key, and documents it.
import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        'Unique per intended operation (e.g. a UUID). A retry with the same key and body returns the first answer ' +
        '(header Idempotency-Replayed: true); the same key with a different body is refused (422 IDEMPOTENCY_KEY_REUSED).',
    }),
    ApiResponse({ status: 400, description: 'IDEMPOTENCY_KEY_REQUIRED, VALIDATION_FAILED, ...' }),
    ApiResponse({ status: 422, description: 'IDEMPOTENCY_KEY_REUSED: the key was used for a different request.' }),
  );
