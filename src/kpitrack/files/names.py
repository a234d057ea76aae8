"""What text and names a file may hold: no control characters in text, valid ids, names that clash with
kpitrack's own files or Windows' reserved device names, names too long for a file system."""

from __future__ import annotations

import re

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, _

MAX_TEXT = 2000  # characters in a title, note or any other text: a page, not a book (wrapping stays fast)
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")  # a target id: its file name without .toml


# C0 control characters and DEL, but tab and line feed: a bell or an escape sequence pasted into a
# title or note is refused at the door (documents cannot hold them: Word and Excel refuse the file).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def control_problem(value: str | None, name: str) -> str | None:
    """Why `value` cannot be stored as `name` (it holds a control character), or None."""
    found = CONTROL.search(value) if value else None
    if found is None:
        return None
    return _("{name} holds the control character {code} at character {place}; remove it").format(
        name=name, code=f"\\x{ord(found.group()):02x}", place=found.start() + 1)


MAX_NAME = 100  # characters in an id or a folder name: a file name stays well within 255 bytes
# Names a file of its own cannot take: kpitrack's own files (plan.toml, kpitrack.toml) and the
# device names Windows reserves in every folder (a file con.toml cannot be checked out there).
RESERVED_NAMES = frozenset({"plan", "kpitrack", "con", "prn", "aux", "nul",
                            *(f"com{digit}" for digit in range(1, 10)), *(f"lpt{digit}" for digit in range(1, 10))})


def name_problem(name: str) -> str | None:
    """Why `name` cannot be an id or a folder name, or None."""
    if len(name) > MAX_NAME:
        return _("{name!r}… is {count} characters long, over the limit of {limit}; shorten it").format(
            name=name[:20], count=len(name), limit=MAX_NAME)
    if name.split(".")[0].lower() in RESERVED_NAMES:
        return _("{name!r} is a name kpitrack or Windows keeps for itself (plan, kpitrack, con, nul, aux, prn, "
                 "com1-9, lpt1-9); choose another").format(name=name)
    return None


def check_text(value: str | None, name: str) -> None:
    """Text that cannot be stored as UTF-8 (stray bytes from a terminal) is refused, not mangled."""
    if value is None:
        return
    if len(value) > MAX_TEXT:
        raise KpitrackError(N_("{key} is {length:,} characters long, over the limit of {limit:,}; shorten it"),
                            key=name, length=len(value), limit=MAX_TEXT)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise KpitrackError(N_("{name} is not valid UTF-8 text; check the terminal's encoding"), name=name) from None
    problem = control_problem(value, name)
    if problem:
        raise KpitrackError(problem)


def did_you_mean(word: str, choices, cutoff: float = 0.6) -> str | None:
    """`did you mean 'title'?` for the closest of `choices`, or None when none is close (`cutoff`:
    difflib's; one character of two Chinese ones, 红等 for 红灯, is 0.5)."""
    import difflib  # only on a mistake: its import costs start-up time

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return _("did you mean {word!r}?").format(word=close[0]) if close else None


def check_id(target_id: str) -> None:
    if not ID_PATTERN.fullmatch(target_id):
        raise KpitrackError(N_("{id!r} is not a valid id: start with a lower-case letter or digit, then use only "
                               "lower-case letters, digits, - and _"), id=target_id)
    problem = name_problem(target_id)
    if problem:
        raise KpitrackError(problem)
