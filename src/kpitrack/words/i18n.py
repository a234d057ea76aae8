"""The interface language: gettext catalogues shipped in kpitrack/locale.

The language is a value: the CLI chooses it once at its edge (set_language), and a page, ledger or
document rendered in another language is rendered inside `speaking(lang)`, which gives it back when
done. It is held in a context variable, so that nothing one run or thread speaks leaks into another.

Every human-facing sentence goes through `_()` or `ngettext()`; the catalogue
`locale/zh/LC_MESSAGES/kpitrack.po` holds the Chinese, compiled to the `.mo` beside it
(tests/test_i18n.py recompiles it and checks the two agree). Machine formats never call these.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "kpitrack"
LANGUAGES = ("en", "zh")

_spoken: ContextVar[tuple[str, gettext.NullTranslations]] = ContextVar(
    "kpitrack_language", default=("en", gettext.NullTranslations()))


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (English: none), read once per process."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for, read as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG; the first set wins): "zh" for any Chinese locale, else "en"."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


def set_language(language: str) -> None:
    """Speak `language` ("en" or "zh") from now on: for the CLI's edge, which chooses it once."""
    _spoken.set((language, catalogue(language)))


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block (a page, a ledger, a document in its own language), and
    what was spoken before after it."""
    token = _spoken.set((language, catalogue(language)))
    try:
        yield
    finally:
        _spoken.reset(token)


def language() -> str:
    return _spoken.get()[0]


def _(message: str) -> str:
    return _spoken.get()[1].gettext(message)


def pgettext(context: str, message: str) -> str:
    """`message` where the same English word needs another translation (`Target`: 指标 or 目标值)."""
    return _spoken.get()[1].pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return _spoken.get()[1].npgettext(context, singular, plural, count)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _spoken.get()[1].ngettext(singular, plural, count)


def in_language(language: str | None, message: str) -> str:
    """`message` in `language`, whatever the interface speaks (for reading typed words in either,
    and for a document in its own language); None: in the interface's."""
    return _(message) if language is None else catalogue(language).gettext(message)


def N_(message: str) -> str:
    """`message` marked for the catalogue, worded later (where it is shown)."""
    return message


def worded(problem) -> str:
    """A Sentence, a Worded error or a KpitrackError (its place, then its message) in the interface
    language, its fields worded too; any other error as it says itself."""
    from kpitrack.domain.errors import KpitrackError, KpitrackWarning, Listed, Sentence, Worded, filled

    if isinstance(problem, KpitrackError):
        message = filled(_(problem.template), problem.fields, worded) if problem.fields else _(problem.template)
        if isinstance(problem, KpitrackWarning):
            message = _("warning: {warning}").format(warning=message)
        return problem.where() + message
    if isinstance(problem, Worded):
        problem = problem.sentence
    if isinstance(problem, Listed):
        return _(problem.message).join(worded(item) for item in problem.items)
    if not isinstance(problem, Sentence):
        return str(problem)
    return _(problem.message).format(**{key: worded(value) if isinstance(value, (Sentence, Worded)) else value
                                        for key, value in problem.fields.items()})


# The operating system's reasons for a failed read or write, as C's strerror words them (the English),
# so that they are worded in the interface's language like every other sentence.
OS_REASONS = {
    "ENOENT": N_("No such file or directory"), "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"), "ENOSPC": N_("No space left on device"),
    "EROFS": N_("Read-only file system"), "EISDIR": N_("Is a directory"), "ENOTDIR": N_("Not a directory"),
    "EEXIST": N_("File exists"), "EBUSY": N_("Device or resource busy"), "ENAMETOOLONG": N_("File name too long"),
    "EDQUOT": N_("Disk quota exceeded"), "EMFILE": N_("Too many open files"), "EIO": N_("Input/output error"),
    "ELOOP": N_("Too many levels of symbolic links"), "ETXTBSY": N_("Text file busy"),
}


def os_reason(error: OSError):
    """Why the operating system refused, as a sentence of the catalogue where it is a common reason;
    else the system's own words."""
    import errno

    from kpitrack.domain.errors import Sentence

    name = errno.errorcode.get(error.errno or 0)
    return Sentence(OS_REASONS[name]) if name in OS_REASONS else (error.strerror or str(error))
