import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthenticationError, can, ForbiddenError, TokenService, type Permission, type Principal } from '@ktt/auth';
import { ANY_ROLE, PERMISSION, PUBLIC } from './auth.decorators';

export type AuthenticatedRequest = Request & { principal?: Principal; actor?: string };

/**
 * Every route needs a valid bearer token and the permission its handler
 * declares, unless it is @Public. A handler that declares nothing is refused:
 * forgetting the annotation must not open an endpoint.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  canActivate(execution: ExecutionContext): boolean {
    const targets = [execution.getHandler(), execution.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = execution.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.header('authorization');
    const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header.trim()) : null;
    if (!match) throw new AuthenticationError(header ? 'the Authorization header must be "Bearer <token>"' : 'a bearer token is required');
    const principal = this.tokens.verify(match[1]);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, targets);
    const anyRole = this.reflector.getAllAndOverride<boolean>(ANY_ROLE, targets) === true;
    if (!anyRole && (!permission || !can(principal, permission))) {
      throw new ForbiddenError(`the role ${principal.role} may not ${permission ? permission.replace(':', ' ') : 'use this endpoint'}`);
    }
    request.principal = principal;
    request.actor = principal.subject;
    return true;
  }
}
