"""The official progress classes (超进度 / 达进度 / 欠进度): one rule, decided from the gap to the
plan as it is printed (kpitrack.toml `decimals`), for every format and the JSON/CSV `pace_class`."""

from __future__ import annotations

from functools import partial

from kpitrack.domain.compute import Figures
from kpitrack.domain.model import Status
from kpitrack.words.display import DUE_SOON_WORD, LIGHT_NAMES, N_, STALE, STATUS_WORDS, printed
from kpitrack.words.i18n import in_language, pgettext

AHEAD, AT, BEHIND = "ahead", "at", "behind"
PACE_WORDS = {AHEAD: N_("ahead of plan"), AT: N_("at plan"), BEHIND: N_("behind plan")}  # 超进度, 达进度, 欠进度
WITH_LIGHT, WITH_LIGHT_AND_PACE, LIGHT_AND_PACE = N_("{status} ({light})"), N_("{status} ({light}, {pace})"), \
    N_("{light} {pace}")
# Which statuses are judged against the plan: under way and not done (indicators have no plan;
# a done target or one with a verdict is judged by its verdict instead).
JUDGED = (Status.ON_TRACK, Status.AT_RISK, Status.BEHIND, Status.OVERDUE)


def pace_class(result: Figures) -> str | None:
    """`ahead`, `at` (the gap is zero at the printed precision) or `behind` the plan to date; None
    where no plan applies: no plan (schedule none, a growth rate, an indicator), not started, no
    data, done, or a verdict given."""
    if result.lag is None or result.status not in JUDGED or result.verdict is not None:
        return None
    lag = printed(result.lag)
    return BEHIND if lag > 0 else AHEAD if lag < 0 else AT


def status_label(status: Status, pace: str | None, lang: str | None = None, short: bool = False) -> str:
    """A row's status beside its light, with its class (`pace_class`), in `lang` (default: the
    interface's): `绿灯 欠进度` for a green row below plan (never 达到序时进度 then), `黄灯 滞后，欠进度`;
    the status word alone without a light. `short` (a narrow terminal): the light and the class
    alone, `红灯 欠进度`. Every format's status cell is this."""
    say = partial(in_language, lang)  # None: the interface's language
    light, worded = LIGHT_NAMES.get(status), say(STATUS_WORDS[status])
    if light is None:
        return worded
    if short:  # the narrow terminal's few columns: `green lagging`, `绿灯 欠进度`
        return say(LIGHT_AND_PACE).format(light=say(light), pace=short_pace(pace)) if pace else say(light)
    if pace is None:
        return say(WITH_LIGHT).format(status=worded, light=say(light))
    if status is Status.ON_TRACK:
        return say(WITH_LIGHT).format(status=say(PACE_WORDS[pace]), light=say(light))
    return say(WITH_LIGHT_AND_PACE).format(status=worded, light=say(light), pace=say(PACE_WORDS[pace]))


def status_flags(stale: bool = False, due_soon: bool = False, lang: str | None = None) -> list[str]:
    """What a status cell says after the status, in `lang` (default: the interface's): 数据过期
    (stale: the latest figure is overdue) and 临期 (due soon: not done, due within warn_days)."""
    return [in_language(lang, word) for word, said in ((STALE, stale), (DUE_SOON_WORD, due_soon)) if said]


def status_words(status: Status, pace: str | None, stale: bool = False, due_soon: bool = False,
                 lang: str | None = None, done: str | None = None) -> list[str]:
    """A row's status cell as every table words it: how it ended once it is done or has a verdict
    (`done`, kpitrack.words.display.done_message: 超额完成, 提前完成, 未完成, 未报送), else its label
    (status_label); then its flags (status_flags: stale where the table gives it no column of its
    own, due soon). Each format joins them in its own way; none leaves one out."""
    label = in_language(lang, done) if done else status_label(status, pace, lang)
    return [label] + status_flags(stale, due_soon, lang)


def short_pace(pace: str) -> str:
    """The class in a word, for a narrow terminal: `ahead`, `at plan`, `lagging` (超进度, 达进度, 欠进度)."""
    return {AHEAD: pgettext("short", "ahead"), AT: pgettext("short", "at plan"), BEHIND: pgettext("short", "lagging")}[pace]
