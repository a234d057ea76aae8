"""The `kpitrack` command: options, calling the layers below, printing, exit codes.

The commands live in modules by job (record, view, checks); this module holds what they share.
Every word that names an option is in this package, never below it.
"""

# No `from __future__ import annotations` in the CLI: typer would then evaluate every command's
# string annotations on each start, a fifth of the start-up time of `kpitrack add`.

import enum
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from kpitrack import __version__
from kpitrack.errors import KpitrackError


class Group(TyperGroup):
    """Every failure ends as one line on stderr: exit 2 for bad input or data."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name or "kpitrack", complete_var, standalone_mode=False, **extra)
        except KpitrackError as error:
            fail(str(error))
        except typer.TyperException as error:  # usage errors: bad option, missing argument, bad value
            context = getattr(error, "ctx", None)
            hint = f" (see `{context.command_path} --help`)" if context else ""
            fail(error.format_message() + hint, error.exit_code)
        except typer.Abort:
            fail("aborted", 1)
        sys.exit(code or 0)


def fail(message: str, code: int = 2) -> None:
    warn(message)
    sys.exit(code)


def warn(message: str) -> None:
    from kpitrack.display import visible  # messages may quote what a user typed or a file holds

    print(f"kpitrack: {visible(message)}", file=sys.stderr)


app = typer.Typer(
    cls=Group,
    name="kpitrack",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def main() -> None:
    import signal

    # Like other Unix tools, stop quietly when the reader of the output goes away (`| head`).
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    typer.main.get_command(app).main(prog_name="kpitrack")


# --- argument types ------------------------------------------------------------------------


def date_argument(text: str | date) -> date:
    from kpitrack.parse import parse_date

    if isinstance(text, date):  # a default value, already parsed
        return text
    try:
        return parse_date(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def value_argument(text: str | Decimal, name: str | None = None) -> Decimal:
    from kpitrack.parse import parse_value

    if isinstance(text, Decimal):  # a default value, already parsed
        return text
    try:
        return parse_value(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=name) from None


class Language(str, enum.Enum):
    """The words of pages, charts, workbooks and documents (machine formats stay English)."""

    en = "en"
    zh = "zh"


class TableOrJson(str, enum.Enum):
    table = "table"
    json = "json"


AsOf = Annotated[Optional[date], typer.Option(
    "--as-of", parser=date_argument, metavar="DATE",
    help="Compute as of the end of this day (default: today), e.g. 2023-06-30.")]


CsvEncoding = Annotated[Optional[str], typer.Option(
    "--encoding", metavar="NAME",
    help="Encode CSV for Excel on Chinese Windows: utf-8-sig (UTF-8 with a byte-order mark) or gbk.")]


def encoded(text: str, encoding: str | None) -> str | bytes:
    """`text` as bytes in `encoding` (None: left as text); a character the encoding lacks is an error."""
    if encoding is None:
        return text
    try:
        return text.encode(encoding)
    except LookupError:
        raise typer.BadParameter(f"{encoding!r} is not an encoding; try utf-8-sig or gbk",
                                 param_hint="'--encoding'") from None
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        raise KpitrackError(f"{character!r} (U+{ord(character):04X}) cannot be written in {encoding}; "
                            "use --encoding utf-8-sig") from None


def emit(output: str | bytes) -> None:
    """Print text, or bytes already encoded, to stdout."""
    if isinstance(output, str):
        sys.stdout.write(output)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(output)


def root(ctx: typer.Context) -> Path:
    from kpitrack.errors import MissingFolder, NoWorkspace
    from kpitrack.workspace import find_root

    try:
        return find_root(ctx.obj.get("dir"))
    except MissingFolder as error:
        name = "KPITRACK_DIR" if error.from_environment else "--dir"
        raise KpitrackError(f"{name} {error.folder}: no such folder; create it with "
                            f"`kpitrack init {error.folder}`") from None
    except NoWorkspace:
        raise KpitrackError("no workspace here: run `kpitrack init` to make ./targets, "
                            "or point to one with --dir PATH or KPITRACK_DIR") from None


def load(ctx: typer.Context):
    """Every target of the workspace, through the parse cache."""
    from kpitrack.cache import cache_folder
    from kpitrack.workspace import load_workspace

    return load_workspace(root(ctx), cache_folder())


def option_named(error: KpitrackError, options: dict[str, str]) -> KpitrackError:
    """The error as the person typed it: the file key its message names (`due ...`, `... 'target'`)
    replaced by the option that set it (`--due ...`)."""
    import re

    for key, option in options.items():
        for pattern in (rf"^{key}\b", rf"'{key}'"):
            if re.search(pattern, error.message):
                return KpitrackError(re.sub(pattern, option, error.message, count=1))
    return error


def report_problems(problems: list[KpitrackError], closing: str | None = None) -> None:
    """Broken files do not hide the rest: list them after the output, then exit 2."""
    from kpitrack.display import visible

    for problem in problems:
        print(visible(str(problem)), file=sys.stderr)
    if problems:
        if closing:
            warn(closing)
        raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        print(f"kpitrack {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    ctx: typer.Context,
    directory: Annotated[Optional[str], typer.Option(
        "--dir", metavar="PATH", help="The workspace folder (default: $KPITRACK_DIR, else ./targets).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Keep score of pledged policy targets: how much is done, and is it ahead of or behind the calendar?

    Example: kpitrack status --as-of 2023-12-31
    """
    ctx.obj = {"dir": directory}


from kpitrack.cli import record, view, checks  # noqa: E402,F401,I001  (the commands register themselves, in this order)
