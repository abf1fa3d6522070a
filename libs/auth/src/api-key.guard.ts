// Every endpoint needs a valid key unless marked @Public(); @Roles narrows
// which roles may call it. Runs before validation, so an anonymous caller
// learns nothing about the shape of a protected endpoint.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, ErrorCode } from '#errors';
import type { Role } from '#persistence';
import { ApiKeyService } from './api-key.service.js';
import { PUBLIC_KEY } from '#platform';
import { ROLES_KEY } from './auth.decorators.js';
import type { Principal } from './principal.js';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError(ErrorCode.Unauthenticated, 'Send your API key as "Authorization: Bearer <key>".');
    const principal = await this.keys.authenticate(match[1]);
    if (!principal) throw new AppError(ErrorCode.Unauthenticated, 'The API key is unknown or revoked.');
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new AppError(ErrorCode.Forbidden, `This endpoint needs one of the roles: ${roles.join(', ')}; your key has role ${principal.role}.`);
    }
    return true;
  }
}
