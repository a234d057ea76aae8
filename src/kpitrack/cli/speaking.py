"""The CLI's words from our catalogue where typer's copy of click has its own: --help texts
(context "help"), click's marked words and usage prefix (context "click"), and click's usage errors,
which it words in English only, read back into their fields and worded again."""

from __future__ import annotations

import sys

from kpitrack.words.i18n import _


def N_(message: str) -> str:
    """A message for the catalogue, translated where it is used."""
    return message


# click's own usage errors as typer's copy of click words them (in English only, not marked for
# gettext), each read back into its fields and worded again from our catalogue.
_CLICK_SENTENCES = (
    (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
    (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
    (r"Missing parameter (?P<name>.+)\.", N_("Missing parameter {name}.")),
    (r"No such option: (?P<name>\S+) \(Possible options: (?P<choices>.+)\)",
     N_("No such option: {name} (possible options: {choices})")),
    (r"No such option: (?P<name>\S+)\. Did you mean (?P<choices>.+)\?", N_("No such option: {name}; did you mean {choices}?")),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"Invalid value for (?P<name>.+?): (?P<value>.+) is not one of (?P<choices>.+)\.",
     N_("Invalid value for {name}: {value} is not one of {choices}.")),
    (r"Invalid value for (?P<name>.+?): (?P<value>.+) is not a valid (?P<kind>integer|float|boolean)\.",
     N_("Invalid value for {name}: {value} is not a number.")),
    (r"Invalid value for (?P<name>.+?): (?P<value>.+) is not in the range (?P<range>.+)\.",
     N_("Invalid value for {name}: {value} is not in the range {range}.")),
    (r"Invalid value for (?P<name>.+?): (?P<message>.+)", N_("Invalid value for {name}: {message}")),
    (r"Option (?P<name>'[^']+') requires an argument\.", N_("Option {name} requires an argument.")),
    (r"Option (?P<name>'[^']+') requires (?P<count>\d+) arguments\.", N_("Option {name} requires {count} arguments.")),
    (r"Option (?P<name>'[^']+') does not take a value\.", N_("Option {name} does not take a value.")),
    (r"Got unexpected extra argument\(s\) \((?P<arguments>.+)\)", N_("Got unexpected extra arguments ({arguments})")),
)


def click_sentence(message: str) -> str:
    """A usage error of click's, in the interface language (the English as it was, when no form fits)."""
    import re

    suggestion = re.fullmatch(r"(?P<message>.+?)\.? Did you mean (?P<choices>.+)\?", message, re.DOTALL)
    if suggestion:  # typer adds it to a sentence of its own (No such command …), worded first
        return _("{message}. Did you mean {choices}?").format(
            message=click_sentence(suggestion["message"]).rstrip("。."), choices=suggestion["choices"])
    for pattern, wording in _CLICK_SENTENCES:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return _(wording).format(**match.groupdict())
    return message


def _speak_help(method):
    """`method` of a command or an option, formatting its help in the interface language: the help
    written in the code is the catalogue's message (context "help")."""
    import functools

    from kpitrack.words.i18n import pgettext

    @functools.wraps(method)
    def speaking(self, *arguments, **options):
        written = self.help
        if written:
            self.help = pgettext("help", written)
        try:
            return method(self, *arguments, **options)
        finally:
            self.help = written

    return speaking


def speak_click() -> None:
    """click's and typer's own sentences (Usage:, Options, Missing argument …, Show this message and
    exit.) from our catalogue (context "click"), and every help text from it (context "help")."""
    import typer.core

    from kpitrack.words.i18n import npgettext, pgettext

    click = sys.modules["typer._click.core"]  # typer's own copy of click

    def click_gettext(message: str) -> str:
        return pgettext("click", message)

    def click_ngettext(singular: str, plural: str, count: int) -> str:
        return npgettext("click", singular, plural, count)

    for name in ("core", "exceptions", "parser", "types", "decorators", "formatting", "termui", "utils"):
        module = sys.modules.get(f"typer._click.{name}")  # the ones typer has loaded: no start pays for more
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext
    typer.core._ = click_gettext
    formatting = sys.modules["typer._click.formatting"]
    write_usage = formatting.HelpFormatter.write_usage

    def speaking_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, pgettext("click", "Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = speaking_usage
    for kind in (click.Command, typer.core.TyperCommand, typer.core.TyperGroup):
        for name in ("format_help_text", "get_short_help_str"):
            if name in vars(kind):
                setattr(kind, name, _speak_help(vars(kind)[name]))
    for kind in (typer.core.TyperOption, typer.core.TyperArgument):
        if "get_help_record" in vars(kind):
            kind.get_help_record = _speak_help(vars(kind)["get_help_record"])
