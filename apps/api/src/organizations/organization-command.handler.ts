import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { OrganizationCommand } from '@ktt/domain';
import { OrganizationCommands, type CommandContext, type CommandResult } from '@ktt/application';
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
    for (const id of streamsWritten(command)) await refuseIfQuarantined(this.pool, id);
    return this.commands.execute(command, context);
  }
}

/** The organizations whose streams a command may write: its own, and the cooperative of a membership change. */
function streamsWritten(command: OrganizationCommand): string[] {
  const other = (command as { cooperativeId?: unknown }).cooperativeId;
  return typeof other === 'string' ? [command.organizationId, other] : [command.organizationId];
}
