import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { RequestRateLimiter } from '#platform';
import { ApiKeyService } from './api-key.service.js';

/** API-key authentication and the request-rate limit for an HTTP app: a global guard plus the key service. */
@Module({
  providers: [ApiKeyService, RequestRateLimiter, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [ApiKeyService],
})
export class AuthModule {}
