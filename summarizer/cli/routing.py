"""Folder-or-command routing: ``summarize FOLDER`` runs the default command, ``summarize logs`` a named one.

The group's help is the default command's usage and options, then each command's usage and the
command list; a folder named like a command is given as ``./eval``.
"""

from __future__ import annotations

from typing import Any

import click


class FolderContext(click.Context):
    """The context of the default command, whose usage reads "summarize [OPTIONS] FOLDER"."""

    @property
    def command_path(self) -> str:
        # The default command has no name of its own: its usage reads "summarize [OPTIONS] FOLDER".
        return self.parent.command_path if self.parent is not None and not self.info_name else super().command_path


class FolderCommand(click.Command):
    """The default command, run when the first argument is not a command name."""

    context_class = FolderContext

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        parent = ctx.parent
        if parent is not None and isinstance(parent.command, DefaultGroup):
            parent.command.format_help(parent, formatter)
        else:
            super().format_help(ctx, formatter)


class DefaultGroup(click.Group):
    """A group whose default command takes the folder: ``summarize FOLDER`` or ``summarize logs``."""

    _ROUTE = "\0folder"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.default_command: click.Command | None = None

    def default(self, command: click.Command) -> click.Command:
        """Make ``command`` the one run when the first argument is not a command name."""
        self.default_command = command
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self._ROUTE, *args]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] == self._ROUTE:
            return "", self.default_command, args[1:]
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert self.default_command is not None
        lines = [" ".join(self.default_command.collect_usage_pieces(ctx))]
        for name in self.list_commands(ctx):
            command = self.commands[name]
            sub = click.Context(command, info_name=name, parent=ctx)
            lines.append(" ".join([name, *command.collect_usage_pieces(sub)]))
        formatter.write_usage(ctx.command_path, lines[0])
        for line in lines[1:]:
            formatter.write_usage(ctx.command_path, line, prefix="       ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        assert self.default_command is not None
        self.default_command.format_options(ctx, formatter)
        self.format_commands(ctx, formatter)
