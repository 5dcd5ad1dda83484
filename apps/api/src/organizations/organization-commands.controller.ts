import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.decorators';
import { CommandHeaders } from '../openapi/command-headers';
import { ProblemResponses } from '../openapi/problem-responses';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { OrganizationCommandMessage, type CommandContext, type CommandResult, type OrganizationCommandSent } from '@ktt/application';
import { answer, CommandResponseDto } from '../http/command-answer';
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

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a cooperative group, a cooperative or a union' })
  @ApiCreatedResponse({ type: CommandResponseDto })
  register(@Body() body: RegisterOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    const { id, ...rest } = body;
    return this.run({ ...rest, type: 'RegisterOrganization', organizationId: id ?? randomUUID() }, context, res);
  }

  @Post(':id/ratings')
  @ApiOperation({ summary: 'Record a yearly rating' })
  @ApiOkResponse({ type: CommandResponseDto })
  rate(@Param('id', Uuid) id: string, @Body() body: RateOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'RateOrganization', organizationId: id }, context, res);
  }

  @Post(':id/membership')
  @ApiOperation({ summary: 'Record a change of the member count' })
  @ApiOkResponse({ type: CommandResponseDto })
  changeMembers(@Param('id', Uuid) id: string, @Body() body: ChangeMemberCountDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'ChangeMemberCount', organizationId: id }, context, res);
  }

  @Post(':id/profile')
  @ApiOperation({ summary: 'Record a change of the profile (managers and the profile flags)' })
  @ApiOkResponse({ type: CommandResponseDto })
  changeProfile(@Param('id', Uuid) id: string, @Body() body: ChangeProfileDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'ChangeProfile', organizationId: id }, context, res);
  }

  @Post(':id/suspension')
  @ApiOperation({ summary: 'Suspend an organization' })
  @ApiOkResponse({ type: CommandResponseDto })
  suspend(@Param('id', Uuid) id: string, @Body() body: SuspendOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'SuspendOrganization', organizationId: id }, context, res);
  }

  @Post(':id/dormancy')
  @ApiOperation({ summary: 'Record that an organization was found dormant' })
  @ApiOkResponse({ type: CommandResponseDto })
  findDormant(@Param('id', Uuid) id: string, @Body() body: FindDormantDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'FindOrganizationDormant', organizationId: id }, context, res);
  }

  @Post(':id/resumption')
  @ApiOperation({ summary: 'Resume a suspended or dormant organization' })
  @ApiOkResponse({ type: CommandResponseDto })
  resume(@Param('id', Uuid) id: string, @Body() body: ResumeOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'ResumeOrganization', organizationId: id }, context, res);
  }

  @Post(':id/dissolution')
  @ApiOperation({ summary: 'Dissolve an organization' })
  @ApiOkResponse({ type: CommandResponseDto })
  dissolve(@Param('id', Uuid) id: string, @Body() body: DissolveOrganizationDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'DissolveOrganization', organizationId: id }, context, res);
  }

  @Post(':unionId/members')
  @ApiOperation({ summary: 'A cooperative joins a union' })
  @ApiOkResponse({ type: CommandResponseDto })
  join(@Param('unionId', UnionId) unionId: string, @Body() body: JoinUnionDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ ...body, type: 'JoinUnion', organizationId: unionId }, context, res);
  }

  @Post(':unionId/members/:cooperativeId/leave')
  @ApiOperation({ summary: 'A cooperative leaves a union' })
  @ApiOkResponse({ type: CommandResponseDto })
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
  @Post(':id/corrections')
  @ApiOperation({ summary: 'Retract a recorded event (and optionally record its replacement)' })
  @Requires('corrections:write')
  @ApiOkResponse({ type: CommandResponseDto })
  correct(@Param('id', Uuid) id: string, @Body() body: CorrectRecordDto, @RequestContext() context: CommandContext, @Res({ passthrough: true }) res: Response) {
    return this.run({ type: 'CorrectRecord', organizationId: id, retractedEventId: body.eventId, reason: body.reason, replacement: body.replacement }, context, res);
  }

  /** Through the command bus to OrganizationCommandHandler, where the use case is. */
  private async run(command: OrganizationCommandSent, context: CommandContext, res: Response): Promise<CommandResponseDto> {
    const result = await this.commandBus.execute<OrganizationCommandMessage, CommandResult>(new OrganizationCommandMessage(command, context));
    return answer(result, res);
  }
}
