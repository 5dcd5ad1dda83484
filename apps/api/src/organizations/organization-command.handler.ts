import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { OrganizationCommand } from '@ktt/domain';
import { OrganizationCommands, requirePermission, requireProvince, type CommandContext, type CommandResult } from '@ktt/application';
import type { Pool } from 'pg';
import { refuseIfQuarantined } from '@ktt/read-models';
import { PG_POOL } from '../tokens';

export class ExecuteOrganizationCommand {
  constructor(
    readonly command: OrganizationCommand,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ExecuteOrganizationCommand)
export class ExecuteOrganizationCommandHandler implements ICommandHandler<ExecuteOrganizationCommand, CommandResult> {
  constructor(
    @Inject(OrganizationCommands) private readonly commands: OrganizationCommands,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async execute({ command, context }: ExecuteOrganizationCommand): Promise<CommandResult> {
    // 409 STREAM_QUARANTINED while the read side holds events of a stream the command writes (architecture.md, "Reads").
    // The application's own authorization runs first when it is quarantined: 403 before 409, as for every refusal.
    // (The province is the command's own organization's: a union's membership is judged by the union's.)
    const authorize = (id: string) => (provinceCode: string | null) => {
      requirePermission(context.principal, command.type === 'CorrectRecord' ? 'corrections:write' : 'organizations:write');
      if (command.type !== 'CorrectRecord' && id === command.organizationId && provinceCode !== null) requireProvince(context.principal, provinceCode);
    };
    for (const id of streamsWritten(command)) await refuseIfQuarantined(this.pool, id, authorize(id));
    return this.commands.execute(command, context);
  }
}

/** The organizations whose streams a command may write: its own, and the cooperative of a membership change. */
function streamsWritten(command: OrganizationCommand): string[] {
  const other = (command as { cooperativeId?: unknown }).cooperativeId;
  return typeof other === 'string' ? [command.organizationId, other] : [command.organizationId];
}
