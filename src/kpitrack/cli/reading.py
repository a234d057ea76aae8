"""What the commands that read and report (status, show, plans, export, check, report) share: the
options that choose targets, dates, languages and encodings, and printing what they make. Apart
from kpitrack.cli, which every command imports, so that `kpitrack add` does not build them."""

import enum
import sys
from datetime import date
from typing import Annotated, Optional

import typer

from kpitrack.cli import date_argument
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, _


class Language(str, enum.Enum):
    """The words of pages, charts, workbooks and documents (machine formats stay English)."""

    en = "en"
    zh = "zh"


def page_language(ctx: typer.Context, lang: Optional[Language], default: Optional[str] = None) -> str:
    """The language of a page, chart, workbook or document: the command's --lang (which becomes the
    interface language), else the one chosen by the global --lang, KPITRACK_LANG or the workspace's
    setting; failing those, `default` (the ledger is the office's Chinese form) or the locale's."""
    from kpitrack.words.i18n import language, set_language

    if lang is not None:
        set_language(lang.value)
        return lang.value
    chosen = ctx.obj.get("lang") if ctx.obj else None
    return chosen or (default if default and not ctx.obj.get("settings_language") else language())


class TableOrJson(str, enum.Enum):
    table = "table"
    json = "json"


AsOf = Annotated[Optional[date], typer.Option(
    "--as-of", parser=date_argument, metavar="DATE",
    help="Compute as of the end of this day (default: today), e.g. 2023-06-30.")]


def _complete(name: str):
    """A completer from cli.complete, imported only when a shell asks."""
    def complete(ctx: typer.Context, incomplete: str):
        from kpitrack.cli import complete as completers

        return getattr(completers, name)(ctx, incomplete)
    return complete


TagOption = Annotated[Optional[str], typer.Option("--tag", help="Only targets with this tag.",
                                                  autocompletion=_complete("tags"))]
GroupOption = Annotated[Optional[str], typer.Option(
    "--group", metavar="FOLDER", help="Only targets in this folder (and its sub-folders), closed or not.",
    autocompletion=_complete("folders"))]
OwnerOption = Annotated[Optional[str], typer.Option(
    "--owner", metavar="TEXT", help="Only targets whose owner (责任单位) contains TEXT.",
    autocompletion=_complete("owners"))]
AllOption = Annotated[bool, typer.Option("--all", help="Closed plans too (skipped by default).")]


class ByKey(str, enum.Enum):
    owner = "owner"


ByOption = Annotated[Optional[ByKey], typer.Option(
    "--by", help="A summary per owner (责任单位): pledges, red, not reported (未报送) and stale, for the 催报.")]


# Codecs that are no file encoding: they encode one kind of string (a host name, nothing at all)
# or write escapes, and fail or garble on ordinary text.
NOT_FILE_ENCODINGS = {"undefined", "idna", "punycode", "unicode_escape", "raw_unicode_escape", "unicode_internal"}


def text_encoding(name: Optional[str]) -> Optional[str]:
    """--encoding: the name of an encoding for text files (utf-8-sig, gbk, utf-16), else refused."""
    import codecs

    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return name  # no such encoding: each command says so in its own words
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in NOT_FILE_ENCODINGS:
        raise typer.BadParameter(_("{encoding!r} is not an encoding for text files; try utf-8-sig or gbk").format(
            encoding=name))
    return name


CsvEncoding = Annotated[Optional[str], typer.Option(
    "--encoding", metavar="NAME", callback=text_encoding,
    help="Encode CSV for Excel on Chinese Windows: utf-8-sig (UTF-8 with a byte-order mark) or gbk.")]


def encoded(text: str, encoding: str | None) -> str | bytes:
    """`text` as bytes in `encoding` (None: left as text); a character the encoding lacks is an error."""
    if encoding is None:
        return text
    try:
        return text.encode(encoding)
    except LookupError:
        raise typer.BadParameter(_("{encoding!r} is not an encoding; try utf-8-sig or gbk").format(encoding=encoding),
                                 param_hint="'--encoding'") from None
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        raise KpitrackError(N_("{character!r} (U+{code}) cannot be written in {encoding}; use --encoding utf-8-sig"),
                            character=character, code=f"{ord(character):04X}", encoding=encoding) from None


def emit(output: str | bytes) -> None:
    """Print text, or bytes already encoded, to stdout."""
    if isinstance(output, str):
        sys.stdout.write(output)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(output)


def rendered(chosen, report, lang: str | None = None, encoding: str | None = None) -> None:
    """`report` rendered in the format `chosen` (of formats.registry) to stdout: Rich renderables
    printed at the terminal's width, lines written as they are made, or text (encoded if asked)."""
    from kpitrack.words.i18n import language

    lang = lang or language()
    if chosen.console:
        from kpitrack.formats.terminal import make_console

        console = make_console()
        for renderable in chosen.render(report, lang, console.width):
            console.print(renderable, soft_wrap=chosen.soft_wrap)
    elif chosen.streams and encoding is None:
        write = sys.stdout.write
        for lines in chosen.render(report, lang):
            write(lines)  # each row as it is made: the whole text is never held
    else:  # encoded whole, so that a character the encoding lacks stops before any output
        text = chosen.render(report, lang)
        text = "".join(text) if chosen.streams else text
        emit(encoded(text, encoding) if chosen.encodable else text)
