"""The status words a person types (`--status`, `check --fail-on`), in either language: `behind`,
`严重滞后`, `红灯`, `未报送`, `超额完成`; and a code said back in the interface's language."""

from __future__ import annotations

from kpitrack.domain.model import Status, Verdict
from kpitrack.words.display import (DUE_SOON_WORD, EXCEEDED, LIGHT_NAMES, STALE, STATUS_WORDS, VERDICT_WORDS,
                                    status_word, verdict_word)
from kpitrack.words.i18n import _, in_language


def typed_status(word: str) -> str | None:
    """The status code (or "stale") a typed word names, in either language: `behind`, `严重滞后`,
    `红灯`; None for a word that names none."""
    word = word.strip()
    for status, message in STATUS_WORDS.items():
        if word in (status.value, in_language("zh", message)):
            return status.value
    for verdict, message in VERDICT_WORDS.items():
        if word in (verdict.value, in_language("zh", message)):
            return verdict.value
    for status, message in LIGHT_NAMES.items():
        if word in (message, in_language("zh", message)):
            return status.value
    if word in ("due-soon", in_language("zh", DUE_SOON_WORD)):
        return "due-soon"
    if word in (EXCEEDED_CODE, in_language("zh", EXCEEDED)):  # 超额完成: what a status cell says of one
        return EXCEEDED_CODE
    return "stale" if word in (STALE, in_language("zh", STALE)) else None


EXCEEDED_CODE = "exceeded"  # the code that asks for the targets done beyond their figure (超额完成)


def code_word(code: str) -> str:
    """A code typed_status gives, as the interface says it: `behind` (严重滞后), `missed` (未完成),
    `stale` (数据过期), `due-soon` (临期), `exceeded` (超额完成)."""
    flags = {"stale": STALE, "due-soon": DUE_SOON_WORD, EXCEEDED_CODE: EXCEEDED}
    if code in flags:
        return _(flags[code])
    if code in Status._value2member_map_:
        return status_word(Status(code))
    return verdict_word(Verdict(code))


def typeable_status_words() -> list[str]:
    """Every word typed_status takes, Chinese ones (严重滞后, 红灯, 数据过期) after the codes."""
    words = [*STATUS_WORDS.items(), *VERDICT_WORDS.items()]
    codes = [code.value for code, _message in words] + ["stale", "due-soon", EXCEEDED_CODE]
    chinese = [in_language("zh", message) for _code, message in words]
    chinese += [in_language("zh", message) for message in (*LIGHT_NAMES.values(), STALE, DUE_SOON_WORD, EXCEEDED)]
    return list(dict.fromkeys(codes + chinese))


def typed_statuses(word: str) -> list[str]:
    """Every status and verdict code a typed word names: `未报送` is how the tables print both the
    status no-data and the verdict not-reported, so it names both; other words name one code."""
    code = typed_status(word)
    if code is None:
        return []
    shared = [verdict.value for verdict, message in VERDICT_WORDS.items()
              if code in Status._value2member_map_ and word.strip() == in_language("zh", message)]
    return [code] + [other for other in shared if other != code]
