import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { TokenRevocations } from '@ktt/application';
import { AuthenticationError, can, ForbiddenError, TokenService, type Permission, type Principal } from '@ktt/auth';
import { ANY_ROLE, PERMISSION, PUBLIC } from './auth.decorators';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** A verified, unrevoked bearer token's principal; null without an Authorization header. */
export async function authenticate(request: Request, tokens: TokenService, revocations: Pick<TokenRevocations, 'isRevoked'>): Promise<Principal | null> {
  const header = request.header('authorization');
  if (header === undefined) return null;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header.trim());
  if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
  const { principal, jti } = tokens.verifyToken(match[1]);
  if (await revocations.isRevoked(jti)) throw new AuthenticationError(`the token ${jti} has been revoked; ask for a new one`);
  return principal;
}

/**
 * Every route needs a valid, unrevoked bearer token and the permission its
 * handler declares, unless it is @Public. A handler that declares nothing is
 * refused: forgetting the annotation must not open an endpoint. Commands are
 * authorized again in the application, which is the check that holds.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(TokenRevocations) private readonly revocations: TokenRevocations,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const targets = [execution.getHandler(), execution.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = execution.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await authenticate(request, this.tokens, this.revocations);
    if (!principal) throw new AuthenticationError('a bearer token is required');
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, targets);
    const anyRole = this.reflector.getAllAndOverride<boolean>(ANY_ROLE, targets) === true;
    if (!anyRole && (!permission || !can(principal, permission))) {
      throw new ForbiddenError(`the role ${principal.role} may not ${permission ? permission.replace(':', ' ') : 'use this endpoint'}`);
    }
    request.principal = principal;
    return true;
  }
}
