"""The official progress classes (超进度 / 达进度 / 欠进度): one rule, decided from the gap to the
plan as it is printed (kpitrack.toml `decimals`), for every format and the JSON/CSV `pace_class`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import partial

from kpitrack.domain.compute import Figures
from kpitrack.domain.model import Status, Target, Verdict
from kpitrack.words.display import (DONE_EARLY, DUE_SOON_WORD, EXCEEDED, LIGHT_NAMES, N_, STALE, STATUS_WORDS,
                                    VERDICT_WORDS, done_message, printed_lag, visible)
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
    lag = printed_lag(result)  # the gap as people read it (display.printed_gap)
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


def status_flags(stale: bool = False, due_soon: bool = False, lang: str | None = None,
                 late_nodes: tuple[str, ...] = ()) -> list[str]:
    """What a status cell says after the status, in `lang` (default: the interface's): 数据过期
    (stale: the latest figure is overdue), 临期 (due soon: not done, due within warn_days) and the
    nodes of a node plan past due and not done (`主体完工逾期未完成`)."""
    flags = [in_language(lang, word) for word, said in ((STALE, stale), (DUE_SOON_WORD, due_soon)) if said]
    if late_nodes:
        flags.append(in_language(lang, LATE_NODES).format(
            nodes=in_language(lang, ", ").join(visible(name) for name in late_nodes)))
    return flags


LATE_NODES = N_("{nodes} overdue")


def cell_words(target: Target, figures: Figures, lang: str | None = None, stale: bool = True) -> list[str]:
    """A target's status cell (status_words) from its figures; without `stale` where the table gives
    stale a column of its own."""
    return status_words(figures.status, pace_class(figures), stale and figures.stale, figures.due_soon, lang,
                        done_message(target, figures), figures.late_nodes)


def status_words(status: Status, pace: str | None, stale: bool = False, due_soon: bool = False,
                 lang: str | None = None, done: str | None = None, late_nodes: tuple[str, ...] = ()) -> list[str]:
    """A row's status cell as every table words it: how it ended once it is done or has a verdict
    (`done`, kpitrack.words.display.done_message: 超额完成, 提前完成, 未完成, 未报送), else its label
    (status_label); then its flags (status_flags: stale where the table gives it no column of its
    own, due soon). Each format joins them in its own way; none leaves one out."""
    label = in_language(lang, done) if done else status_label(status, pace, lang)
    return [label] + status_flags(stale, due_soon, lang, late_nodes)


def short_pace(pace: str) -> str:
    """The class in a word, for a narrow terminal: `ahead`, `at plan`, `lagging` (超进度, 达进度, 欠进度)."""
    return {AHEAD: pgettext("short", "ahead"), AT: pgettext("short", "at plan"), BEHIND: pgettext("short", "lagging")}[pace]


@dataclass(frozen=True)
class CellCount:
    """How many rows' status cells say one thing: `word` (a message: how it ended once it has, else
    its status), the status whose light the count takes, and for 已完成 how they were done."""

    word: str
    count: int
    status: Status
    ways: tuple[tuple[str, int], ...] = ()  # (word, count): 超额完成 1, 提前完成 2 of the done ones


# The ways a done row is worded (counted together under 已完成), then the other cells in the order the
# summaries give them, each with the status whose light it takes; those kept at zero (a stable line).
DONE_WAYS = (EXCEEDED, VERDICT_WORDS[Verdict.DONE_EARLY], DONE_EARLY, VERDICT_WORDS[Verdict.ON_TIME],
             VERDICT_WORDS[Verdict.DONE_LATE])
OTHER_CELLS = ((STATUS_WORDS[Status.ON_TRACK], Status.ON_TRACK), (STATUS_WORDS[Status.AT_RISK], Status.AT_RISK),
               (STATUS_WORDS[Status.BEHIND], Status.BEHIND), (STATUS_WORDS[Status.OVERDUE], Status.OVERDUE),
               (VERDICT_WORDS[Verdict.MISSED], Status.OVERDUE), (VERDICT_WORDS[Verdict.NOT_REPORTED], Status.NO_DATA),
               (STATUS_WORDS[Status.NO_DATA], Status.NO_DATA), (STATUS_WORDS[Status.NOT_STARTED], Status.NOT_STARTED),
               (STATUS_WORDS[Status.TRACKED], Status.TRACKED))
KEPT_AT_ZERO = {STATUS_WORDS[status] for status in (Status.DONE, Status.ON_TRACK, Status.AT_RISK, Status.BEHIND,
                                                    Status.NO_DATA)}


def cell_counts(items: list[tuple[Target, Figures]], lang: str | None = None, zeros: bool = True) -> list[CellCount]:
    """The rows counted by what their status cells say (status_words: 已完成 with how, 绿灯, 黄灯, 红灯,
    未完成, 未报送…), in `lang` (default: the interface's): the one count every summary gives, so that
    it names only what its rows say. Words that read the same in `lang` are one count (未报送 is both
    a status and a verdict in Chinese). Without `zeros`, the KEPT_AT_ZERO ones nobody has go too."""
    said = Counter(done_message(target, figures) or STATUS_WORDS[figures.status] for target, figures in items)
    ways = _merged([(way, said[way], Status.DONE) for way in DONE_WAYS if said[way]], lang)
    done = CellCount(STATUS_WORDS[Status.DONE], said[STATUS_WORDS[Status.DONE]] + sum(way.count for way in ways),
                     Status.DONE, tuple((way.word, way.count) for way in ways))
    others = _merged([(word, said[word], status) for word, status in OTHER_CELLS
                      if said[word] or (zeros and word in KEPT_AT_ZERO)], lang)
    # a zero kept for a stable line goes where another word of its light has rows (12 not-reported, not 0 no-data)
    others = [count for count in others if count.count or not any(
        other.count and other.status is count.status for other in others)]
    return [count for count in (done, *others) if count.count or zeros]


def _merged(counts: list[tuple[str, int, Status]], lang: str | None) -> list[CellCount]:
    """The counts, those whose words read the same in `lang` added up under the first of them."""
    merged: dict[str, CellCount] = {}
    for word, count, status in counts:
        text = in_language(lang, word)
        first = merged.get(text)
        merged[text] = CellCount(word, count + (first.count if first else 0), first.status if first else status)
    return list(merged.values())


# The summary sentence's words for a count of a status (lights in Chinese: 绿灯 5); others `{count} {word}`
COUNT_WORDS = {STATUS_WORDS[Status.DONE]: N_("{count} done"), STATUS_WORDS[Status.ON_TRACK]: N_("{count} on-track"),
               STATUS_WORDS[Status.AT_RISK]: N_("{count} at-risk"), STATUS_WORDS[Status.BEHIND]: N_("{count} behind"),
               STATUS_WORDS[Status.OVERDUE]: N_("{count} overdue"), STATUS_WORDS[Status.NO_DATA]: N_("{count} no-data"),
               STATUS_WORDS[Status.NOT_STARTED]: N_("{count} not started"),
               STATUS_WORDS[Status.TRACKED]: N_("{count} tracked")}
COUNT_OF, WITH_WAYS = N_("{count} {word}"), N_("{counted} ({ways})")


def count_phrase(count: CellCount, lang: str | None = None) -> str:
    """A count as the summary sentence gives it: `2 done (1 exceeded, 1 done-early)`, `已完成 2（超额完成 1，
    提前完成 1）`, `绿灯 5`, `未完成 2`."""
    say = partial(in_language, lang)
    return _with_ways(say(COUNT_WORDS.get(count.word, COUNT_OF)).format(count=count.count, word=say(count.word)),
                      count, lang)


def count_label(count: CellCount, lang: str | None = None) -> str:
    """A count's words without the count, for a page's summary beside its figure: `done (1 exceeded)`."""
    return _with_ways(in_language(lang, count.word), count, lang)


def _with_ways(counted: str, count: CellCount, lang: str | None) -> str:
    """`counted`, then how the done ones were done where the count says: `（超额完成 1，提前完成 1）`."""
    if not count.ways:
        return counted
    say = partial(in_language, lang)
    ways = say(", ").join(say(COUNT_OF).format(count=number, word=say(word)) for word, number in count.ways)
    return say(WITH_WAYS).format(counted=counted, ways=ways)
