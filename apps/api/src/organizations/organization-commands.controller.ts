import { Body, Controller, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { CommandHeaders } from '../openapi/command-headers';
import { ProblemResponses } from '../openapi/problem-responses';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { OrganizationCommandMessage, type CommandContext, type CommandResult, type OrganizationCommandSent } from '@ktt/application';
import { answer, CommandResponseDto, CommandRoute } from '../http/command-answer';
import { RequestContext } from '../http/request-context';
import { uuidParam } from '../http/uuid-param';
import {
  ChangeMemberCountDto,
  ChangeProfileDto,
  CorrectRecordDto,
  DissolveOrganizationDto,
  FindDormantDto,
  JoinUnionDto,
  LeaveUnionDto,
  RateOrganizationDto,
  RegisterOrganizationDto,
  RelocateOrganizationDto,
  ResumeOrganizationDto,
  SuspendOrganizationDto,
} from './organization.dtos';

const Uuid = uuidParam('id');
const UnionId = uuidParam('unionId');
const CooperativeId = uuidParam('cooperativeId');

@ApiTags('organizations: commands')
@ApiBearerAuth()
@Requires('organizations:write')
@ProblemResponses(400, 404, 409, 412, 422)
@CommandHeaders()
@Controller('api/organizations')
export class OrganizationCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  /** The seat is judged on the map of registeredOn by the domain (400 UNKNOWN_PROVINCE, 409 PROVINCE_NOT_IN_FORCE, FORMER_PROVINCE_REQUIRED, NOT_A_PREDECESSOR). */
  @CommandRoute(undefined, 'Register a cooperative group, a cooperative or a union', 'created')
  register(@Body() body: RegisterOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    const { id, ...rest } = body;
    return this.run({ ...rest, type: 'RegisterOrganization', organizationId: id ?? randomUUID() }, context, res);
  }

  /** A registrar of the destination: the token's territory on today's map holds the new seat. */
  @CommandRoute(':id/relocation', "Move the seat to another province (or, in a merged province, another former province) from effectiveOn; 409 ALREADY_SEATED_THERE where it is already")
  relocate(@Param('id', Uuid) id: string, @Body() body: RelocateOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'RelocateOrganization', organizationId: id }, context, res);
  }

  @CommandRoute(':id/ratings', 'Record a yearly rating')
  rate(@Param('id', Uuid) id: string, @Body() body: RateOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'RateOrganization', organizationId: id }, context, res);
  }

  @CommandRoute(':id/membership', 'Record a change of the member count')
  changeMembers(@Param('id', Uuid) id: string, @Body() body: ChangeMemberCountDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'ChangeMemberCount', organizationId: id }, context, res);
  }

  @CommandRoute(':id/profile', 'Record a change of the profile (managers and the profile flags)')
  changeProfile(@Param('id', Uuid) id: string, @Body() body: ChangeProfileDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'ChangeProfile', organizationId: id }, context, res);
  }

  @CommandRoute(':id/suspension', 'Suspend an organization')
  suspend(@Param('id', Uuid) id: string, @Body() body: SuspendOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'SuspendOrganization', organizationId: id }, context, res);
  }

  @CommandRoute(':id/dormancy', 'Record that an organization was found dormant')
  findDormant(@Param('id', Uuid) id: string, @Body() body: FindDormantDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'FindOrganizationDormant', organizationId: id }, context, res);
  }

  @CommandRoute(':id/resumption', 'Resume a suspended or dormant organization')
  resume(@Param('id', Uuid) id: string, @Body() body: ResumeOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'ResumeOrganization', organizationId: id }, context, res);
  }

  @CommandRoute(':id/dissolution', 'Dissolve an organization')
  dissolve(@Param('id', Uuid) id: string, @Body() body: DissolveOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'DissolveOrganization', organizationId: id }, context, res);
  }

  @CommandRoute(':unionId/members', 'A cooperative joins a union')
  join(@Param('unionId', UnionId) unionId: string, @Body() body: JoinUnionDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'JoinUnion', organizationId: unionId }, context, res);
  }

  @CommandRoute(':unionId/members/:cooperativeId/leave', 'A cooperative leaves a union')
  leave(
    @Param('unionId', UnionId) unionId: string,
    @Param('cooperativeId', CooperativeId) cooperativeId: string,
    @Body() body: LeaveUnionDto,
    @RequestContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run({ ...body, type: 'LeaveUnion', organizationId: unionId, cooperativeId }, context, res);
  }

  /** Auditors and admins correct any province's records: no province check, the role decides. */
  @CommandRoute(':id/corrections', 'Retract a recorded event (and optionally record its replacement)')
  @Requires('corrections:write')
  correct(@Param('id', Uuid) id: string, @Body() body: CorrectRecordDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ type: 'CorrectRecord', organizationId: id, retractedEventId: body.eventId, reason: body.reason, replacement: body.replacement }, context, res);
  }

  /** Through the command bus to OrganizationCommandHandler, where the use case is. */
  private async run(command: OrganizationCommandSent, context: CommandContext, res: Response): Promise<CommandResponseDto> {
    const result = await this.commandBus.execute<OrganizationCommandMessage, CommandResult>(new OrganizationCommandMessage(command, context));
    return answer(result, res);
  }
}
