// Every endpoint needs a valid key unless marked @Public(); @Roles narrows
// which roles may call it. Runs before validation, so an anonymous caller
// learns nothing about the shape of a protected endpoint. It also admits the
// request under the rate limit: per key once the key is known, per address
// for public calls and for keys that do not authenticate.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '#errors';
import type { Role } from '#persistence';
import { ApiKeyService } from './api-key.service.js';
import { clientAddress, PUBLIC_KEY, RequestRateLimiter } from '#platform';
import { ROLES_KEY } from './auth.decorators.js';
import type { Principal } from './principal.js';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    private readonly limiter: RequestRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    let principal: Principal | undefined;
    try {
      principal = match ? await this.keys.authenticate(match[1]) : undefined;
    } catch (error) {
      // A public endpoint (/health above all) does not need the key: answer it even without the database.
      if (!isPublic) throw error;
    }
    await this.limiter.admit(principal ? { keyId: principal.keyId } : { address: clientAddress(request) }, response);
    if (isPublic) return true;

    if (!match) throw new AppError(ErrorCode.Unauthenticated, 'Send your API key as "Authorization: Bearer <key>".');
    if (!principal) throw new AppError(ErrorCode.Unauthenticated, 'The API key is unknown or revoked.');
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new AppError(ErrorCode.Forbidden, `This endpoint needs one of the roles: ${roles.join(', ')}; your key has role ${principal.role}.`);
    }
    return true;
  }
}
