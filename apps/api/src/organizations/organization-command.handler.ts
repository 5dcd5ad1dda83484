import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { OrganizationCommand } from '@ktt/domain';
import { OrganizationCommands, type CommandContext, type CommandResult } from '@ktt/application';

export class ExecuteOrganizationCommand {
  constructor(
    readonly command: OrganizationCommand,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ExecuteOrganizationCommand)
export class ExecuteOrganizationCommandHandler implements ICommandHandler<ExecuteOrganizationCommand, CommandResult> {
  constructor(@Inject(OrganizationCommands) private readonly commands: OrganizationCommands) {}

  execute({ command, context }: ExecuteOrganizationCommand): Promise<CommandResult> {
    return this.commands.execute(command, context);
  }
}
