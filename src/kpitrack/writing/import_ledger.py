"""The ledger's (台账) rows as `import` reads them back: a figure as worded (近60, 60（预计）) and
compared as worded with the one known, and a milestone's 已完成 with the node it reports (the first
not done, or the one named after a colon: 已完成：主体完工)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from kpitrack.domain.model import Kind, Target
from kpitrack.words.i18n import _

DONE_WORDS = ("已完成", "完成", "是", "done")  # a milestone's ledger row marked done
_DONE = re.compile(rf"(?:{'|'.join(DONE_WORDS)})\s*(?:[:：]\s*(?P<node>\S.*?))?\s*", re.IGNORECASE)  # 已完成：主体完工


def ledger_done(text: str) -> tuple[bool, str | None]:
    """Whether a ledger's 读数 says done (已完成, done), and the node it names after a colon, if any."""
    match = _DONE.fullmatch(text.strip())
    return (True, match["node"]) if match else (False, None)


def estimate_marks() -> tuple[str, ...]:
    """An estimate's mark as the ledger writes it after the figure (display.ESTIMATE_MARK, in either
    language: （预计）, (est.)), and 预计 in ASCII brackets."""
    from kpitrack.words.display import ESTIMATE_MARK
    from kpitrack.words.i18n import in_language

    return in_language("zh", ESTIMATE_MARK).strip(), "(预计)", ESTIMATE_MARK.strip()


def estimated(text: str) -> tuple[str, bool]:
    """`text` without an estimate's mark (60（预计）, 预计60), and whether it had one."""
    stripped = text.strip()
    for mark in estimate_marks():
        if stripped.endswith(mark) and len(stripped) > len(mark):
            return stripped[: -len(mark)].strip(), True
    if stripped.startswith("预计") and len(stripped) > 2:
        return stripped[2:].strip(), True
    return text, False


def as_meant(target: Target, row):
    """A ledger row as its row says: 累计完成 a running total (of a cumulative target), 读数 a reading;
    a node plan's bare 已完成 the first node not done as the files stand (the one 填报内容 named)."""
    from kpitrack.domain.nodes import next_node

    entry = row.entry._replace(total=row.entry.done is None and target.kind is Kind.CUMULATIVE)
    if entry.done and entry.node is None and target.nodes:
        entry = entry._replace(node=next_node(target))
    return replace(row, entry=entry)


def nothing_new(target: Target, row, targets: dict[str, Target]) -> bool:
    """Whether a ledger row (as_meant) says nothing new: a parent's (its figure is its parts' sum); a
    milestone's 已完成 of what is done on its date already; a figure, as worded (近60 is not 60),
    that is the one known on its date or the one the ledger was sent with (on its 更新日期), unless a
    note reports it (本月无变化)."""
    from kpitrack.domain.compute import adds_up_parts, counts_estimate, current_figure, latest_qualifier

    entry = row.entry
    if adds_up_parts(target, targets):
        return True
    if target.kind is Kind.MILESTONE:
        return entry.done is not None and entry.done == _done_by(target, entry.node, entry.date)
    if entry.note:
        return False
    typed = (entry.value, entry.qualifier, entry.estimate)
    return any(typed == (current_figure(target, day, targets), latest_qualifier(target, day, targets),
                         counts_estimate(target, day)) for day in (entry.date, row.sent) if day)


def _done_by(target: Target, node: str | None, day: date) -> bool:
    """Whether a milestone (or its node; a node plan with no node left: every node) is done on `day`:
    its latest done or undone entry by then. A node it does not have is not done (refused later)."""
    from kpitrack.domain.nodes import done_dates

    if target.nodes:
        return node is None or done_dates(target, day).get(node) is not None
    return bool(max(((entry.date, entry.done) for entry in target.entries if entry.date <= day
                     and entry.done is not None), default=(day, False))[1])


def node_problem(target: Target, row) -> str | None:
    """A node plan's row that names no node (a CSV without a `node` column), a ledger's node on a
    milestone without a plan, or a figure in a milestone's 读数, in words the file it came from can
    follow (not `add --node`)."""
    names = _(", ").join(node.name for node in target.nodes)
    if row.entry.done is None:
        return (_("a milestone's Reading (读数) takes done (已完成) once it is, not a figure")
                if row.ledger and target.kind is Kind.MILESTONE else None)
    if target.nodes and row.entry.node is None:
        return _("this milestone has nodes ({names}): name the one done in a node column (节点)").format(names=names)
    if row.ledger and row.entry.node is not None and not target.nodes:
        return _("this milestone has no nodes: write done (已完成) alone in Reading (读数)")
    return None
