import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { can, PERMISSIONS, ROLES, type Me, type Permission, type Principal } from '@ktt/auth';
import { AnyRole } from '../auth/auth.decorators';
import type { AuthenticatedRequest } from '../auth/auth.guard';

/** The OpenAPI schema of `Me` (libs/auth/src/principal.ts), which the admin UI reads. */
class MeDto implements Me {
  @ApiProperty({ example: 'registrar:91' }) subject!: string;
  @ApiProperty({ enum: ROLES }) role!: Principal['role'];
  @ApiProperty({ type: [String], description: 'registrars: the provinces they write for' }) provinces!: string[];
  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: 'what the role may do (libs/auth/src/principal.ts)' }) permissions!: Permission[];
}

/** Extension of api.md: who the token speaks for, so a client (the admin UI) offers only what the role may do. */
@ApiTags('session')
@ApiBearerAuth()
@Controller('api/me')
export class MeController {
  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Who the token speaks for and what it may do' })
  @ApiOkResponse({ type: MeDto })
  me(@Req() request: AuthenticatedRequest): MeDto {
    const principal = request.principal!;
    return {
      subject: principal.subject,
      role: principal.role,
      provinces: principal.provinces,
      permissions: PERMISSIONS.filter((permission) => can(principal, permission)),
    };
  }
}
