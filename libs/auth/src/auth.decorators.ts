import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '#persistence';
import type { Principal } from './principal.js';

export { Public, PUBLIC_KEY } from '#platform';
export const ROLES_KEY = 'auth:roles';

/** Only keys with one of these roles may call this endpoint. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
