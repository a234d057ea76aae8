"""The `kpitrack` command: options, calling the layers below, printing, exit codes.

The commands live in modules by job (record, view, checks); this module holds what they share,
and COMMANDS, which says where each one lives: a run imports and builds only the command it runs
(`--help` and shell completion, which list them all, import them all). Every word that names an
option is in this package, never below it.
"""

# No `from __future__ import annotations` in the CLI: typer would then evaluate every command's
# string annotations on each start, a fifth of the start-up time of `kpitrack add`.

import gc

# Importing typer makes about a hundred thousand objects and no garbage; the cyclic collector,
# run every 700 of them, spent 5-8 ms of each start walking them (about 5% of `kpitrack add`).
# It is switched off for these imports only, and back on (if it was on) before any command runs;
# what they made is frozen out of its walks first, or the first collection after walked it all at
# once (all of it was still the youngest generation: 3-8 ms of every start, --version's too).
_collecting = gc.isenabled()
gc.disable()

import sys  # noqa: E402
from collections.abc import MutableMapping  # noqa: E402
from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated, Optional  # noqa: E402

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

gc.freeze()
if _collecting:
    gc.enable()

from kpitrack import __version__
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _, os_reason, worded


# Every command, in the order `--help` lists them, and its module in this package. Only the module
# of the command that runs is imported, and only that command is built (typer reads each command's
# signature, which costs start-up time); tests/test_cli_commands.py checks this table against the
# commands the modules register.
COMMANDS = {
    "init": "record", "new": "record", "add": "add", "import": "record",
    "fix": "correct", "remove": "correct", "undo": "correct",
    "status": "view", "show": "view", "plans": "view", "export": "view",
    "validate": "checks", "check": "checks", "report": "checks",
    "merge-file": "team", "log": "team", "completion": "team",
}


class Commands(MutableMapping):
    """The group's commands by name: each is imported and built by typer when first asked for."""

    def __init__(self, built: dict) -> None:
        self.built = dict(built)  # those typer built already (the modules that were imported)

    def __getitem__(self, name: str):
        if name not in self.built:
            if name not in COMMANDS:
                raise KeyError(name)
            import importlib

            importlib.import_module(f"kpitrack.cli.{COMMANDS[name]}")
            for info in app.registered_commands:
                if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
                    self.built[name] = typer.main.get_command_from_info(
                        info, pretty_exceptions_short=app.pretty_exceptions_short,
                        rich_markup_mode=app.rich_markup_mode)
                    break
            else:
                raise KeyError(name)
        return self.built[name]

    def __iter__(self):
        return iter([*COMMANDS, *(name for name in self.built if name not in COMMANDS)])

    def __len__(self) -> int:
        return len(COMMANDS.keys() | self.built.keys())

    def __setitem__(self, name: str, command) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("kpitrack's commands cannot be removed")


from kpitrack.cli.speaking import click_sentence, speak_click  # noqa: E402

speak_click()


class Group(TyperGroup):
    """Every failure ends as one line on stderr: exit 2 for bad input or data."""

    def __init__(self, *, commands=None, **settings) -> None:
        super().__init__(**settings)
        self.commands = Commands(commands or {})

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)  # the names only: building every command is for --help

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        import os

        from kpitrack.words.i18n import LANGUAGES, locale_language, set_language

        wanted = os.environ.get("KPITRACK_LANG")  # until --lang is read: usage errors speak it too
        typed = list(sys.argv[1:] if args is None else args)
        for index, word in enumerate(typed[:-1]):  # the root's --lang, before click parses (and may refuse) the rest
            if word == "--lang":
                wanted = typed[index + 1] if typed[index + 1] in LANGUAGES else wanted
                break
            if word.startswith("--lang="):
                wanted = word.partition("=")[2] if word.partition("=")[2] in LANGUAGES else wanted
                break
            if word in COMMANDS:
                break  # the command's name: what follows is its own
        set_language(wanted if wanted in LANGUAGES else locale_language())
        try:
            code = super().main(args, prog_name or "kpitrack", complete_var, standalone_mode=False, **extra)
        except KpitrackError as error:
            fail(worded(error))
        except typer.TyperException as error:  # usage errors: bad option, missing argument, bad value
            context = getattr(error, "ctx", None)
            hint = _(" (see `{command} --help`)").format(command=context.command_path) if context else ""
            fail(click_sentence(error.format_message()) + hint, error.exit_code)
        except typer.Abort:
            fail(_("aborted"), 1)
        except OSError as error:  # a door that did not name it: still one line, naming the path
            reason = worded(os_reason(error))
            fail(f"{error.filename}: {reason}" if error.filename else reason)
        except UnicodeError as error:
            fail(_("cannot encode or decode text: {error}").format(error=error))
        sys.exit(code or 0)


def fail(message: str, code: int = 2) -> None:
    warn(message)
    sys.exit(code)


def say(message: str) -> None:
    """A line on stdout that may hold a path or a name: escaped like every untrusted text."""
    from kpitrack.words.display import visible

    print(visible(message))


def warn(message: str) -> None:
    from kpitrack.words.display import visible  # messages may quote what a user typed or a file holds

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

    # Like other Unix tools, stop quietly when the reader of the output goes away (`| head`);
    # Windows has no SIGPIPE.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A console that cannot show a character (a GBK console, a Chinese Windows) gets an escape
    # for it, not a traceback.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    from kpitrack.cli.complete import prepare

    prepare()  # when a shell asks for completions
    # What was imported lives until the process ends, and what a command reads (1,000 targets, their
    # figures and rows) mostly until it is printed: the cyclic collector walked it all again and
    # again (15-25 ms of a status on 1,000 targets), and once more at exit (another 15-20 ms) with
    # nothing to free that the exit would not. So the start-up's objects are frozen out of its walks
    # (gc.freeze), the youngest generation is collected every 10,000 allocations rather than 700
    # (a few megabytes of cycles at most, for the commands that make them), and at exit everything
    # left is frozen, so that the exit's collection walks nothing.
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        typer.main.get_command(app).main(prog_name="kpitrack")
    finally:
        gc.freeze()


# --- argument types ------------------------------------------------------------------------


def date_argument(text: str | date) -> date:
    from kpitrack.domain.parse import parse_date

    if isinstance(text, date):  # a default value, already parsed
        return text
    try:
        return parse_date(text)
    except ValueError as error:
        raise typer.BadParameter(worded(error)) from None


def entry_date_argument(text: str | date) -> date:
    """The date of an entry: one a file may hold (2999-12-31 at the latest), refused at the door."""
    from kpitrack.domain.parse import recordable

    try:
        return recordable(date_argument(text))
    except ValueError as error:
        raise typer.BadParameter(worded(error)) from None


def figure_argument(text: str | None, unit: str, name: str) -> Decimal | None:
    """A figure typed at any door for a target counted in `unit` (194.7亿 and 194.7亿元 on a 亿元
    target are 194.7): the one reader of typed figures, parse_figure, with the option it came by named."""
    from kpitrack.domain.parse import parse_figure

    if text is None:
        return None
    try:
        return parse_figure(text, unit)
    except ValueError as error:
        raise typer.BadParameter(worded(error), param_hint=name) from None


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success (for cron).")]


Wait = Annotated[Optional[float], typer.Option(
    "--wait", metavar="SECONDS", min=0,
    help="Give up when a file stays locked this long (default: wait as long as it takes).")]


def waiting(seconds: Optional[float]):
    """How a writing command waits for a locked file: saying so after a second, giving up after --wait."""
    from kpitrack.writing.lock import Waiting

    return Waiting(seconds, warn)


def root(ctx: typer.Context) -> Path:
    """The workspace, after finishing (or rolling back) an import that was interrupted there."""
    from kpitrack.files.state import import_pending

    folder = _find(ctx)
    if not import_pending(folder):
        return folder
    from kpitrack.writing.writeahead import recover

    done = recover(folder, waiting(None))
    if done:
        warn(worded(done))
    return folder


def _find(ctx: typer.Context) -> Path:
    from kpitrack.domain.errors import MissingFolder, NoWorkspace
    from kpitrack.files.workspace import find_root, workspace_above

    try:
        found, ctx.obj["scope"] = workspace_above(find_root(ctx.obj.get("dir")))
        return found
    except MissingFolder as error:
        name = "KPITRACK_DIR" if error.from_environment else "--dir"
        raise KpitrackError(_("{name} {folder}: no such folder; create it with `kpitrack init {folder}`").format(
            name=name, folder=error.folder)) from None
    except NoWorkspace:
        raise KpitrackError(_("no workspace here: run `kpitrack init` to make ./targets, "
                              "or point to one with --dir PATH or KPITRACK_DIR")) from None


def speak_settings_language(ctx: typer.Context, language: str | None) -> None:
    """The workspace's `language` (kpitrack.toml) is spoken from here on, unless --lang or
    KPITRACK_LANG chose one."""
    if ctx.obj.get("lang") is None and language:
        from kpitrack.words.i18n import set_language

        set_language(language)
        ctx.obj["settings_language"] = language


def load(ctx: typer.Context, quiet: bool = False, entries: bool = True):
    """Every target of the workspace, through the parse cache (rebuilt with a notice when damaged,
    silently with `quiet`; without `entries`, for a command that prints figures only, the entries
    parsed are not kept: see load_workspace); the workspace's `language` is spoken from here on
    unless --lang or KPITRACK_LANG chose one."""
    import kpitrack.files.cache
    from kpitrack.files.workspace import cache_folder, load_workspace

    kpitrack.files.cache.quiet = quiet

    folder = root(ctx)
    # Reading a workspace makes a few hundred thousand objects that live until the command ends, and
    # no cycles to speak of: the collector walked them again and again (45 ms of a cold status on
    # 1,000 targets). It is off while the files are read, and what they gave is frozen out of its walks.
    collecting = gc.isenabled()
    gc.disable()
    try:
        workspace = load_workspace(folder, cache_folder(folder), entries)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    speak_settings_language(ctx, workspace.settings.language)
    settings = workspace.settings
    from kpitrack.words.display import set_decimals

    set_decimals(settings.decimals)  # every printed percentage and gap (kpitrack.toml `decimals`)
    if settings.old_band_at:
        warn(_("{where}: at_risk_band = {red} is read as yellow = 0, red = {red}; write those instead").format(
            where=settings.old_band_at, red=settings.red))
    workspace.scope = ctx.obj.get("scope", "")
    return workspace


def choose_language(option: Optional[str], environ=None) -> Optional[str]:
    """--lang, else KPITRACK_LANG, else None (then the workspace's `language`, else the locale);
    the language is set at once, so that even an error about the workspace speaks it."""
    import os

    from kpitrack.words.i18n import LANGUAGES, locale_language, set_language

    environ = os.environ if environ is None else environ
    chosen, name = (option, "--lang") if option else (environ.get("KPITRACK_LANG") or None, "KPITRACK_LANG")
    if chosen is not None and chosen not in LANGUAGES:  # said in KPITRACK_LANG's language, else the locale's
        fallback = environ.get("KPITRACK_LANG") if option else None
        set_language(fallback if fallback in LANGUAGES else locale_language(environ))
        raise typer.BadParameter(_("{value!r} is not one of: {choices}").format(
            value=chosen, choices=", ".join(LANGUAGES)), param_hint=f"'{name}'")
    set_language(chosen or locale_language(environ))
    return chosen


def option_named(error: KpitrackError, options: dict[str, str]) -> KpitrackError:
    """The error as the person typed it: the file key its message names (`due ...`, `... 'target'`)
    replaced by the option that set it (`--due ...`)."""
    import re

    message = worded(KpitrackError(error.template, **error.fields))  # the sentence alone, in the interface language
    for key, option in options.items():
        for pattern in (rf"^{key}\b", rf"'{key}'"):
            if re.search(pattern, message):
                return KpitrackError(re.sub(pattern, option, message, count=1))
    return error


def report_problems(problems: list[KpitrackError], closing: str | None = None) -> None:
    """Broken files do not hide the rest: list them after the output, then exit 2."""
    from kpitrack.words.display import visible

    for problem in problems:
        print(visible(worded(problem)), file=sys.stderr)
    if problems:
        if closing:
            warn(closing)
        raise typer.Exit(2)


def _speak_early(value: Optional[str]) -> Optional[str]:
    """--lang before --help: the help is then in that language (a bad value waits for choose_language)."""
    from kpitrack.words.i18n import LANGUAGES, set_language

    if value in LANGUAGES:
        set_language(value)
    return value


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
    lang: Annotated[Optional[str], typer.Option(
        "--lang", metavar="zh|en", callback=_speak_early, is_eager=True, help="The interface language (default: $KPITRACK_LANG, else `language` in "
        "kpitrack.toml, else the locale). JSON and CSV never change with it.")] = None,
) -> None:
    """Keep score of pledged policy targets: how much is done, and is it ahead of or behind the calendar?

    Example: kpitrack status --as-of 2023-12-31
    """
    ctx.obj = {"dir": directory, "lang": choose_language(lang)}

