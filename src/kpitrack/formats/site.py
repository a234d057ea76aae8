"""The whole record as a static site (`report --format site --out DIR`): an index of every plan with
its summary, a page per plan (its ledger and the targets needing attention, as the page shows them)
and a page per target (its definition, figures, chart and every entry, sources linked).

One look: the page's template (site.html.j2 extends page.html.j2) and its chart helper, called as
they are. The figures are the report's, rendered, never worked out here. Every link is relative and
every page sits beside the index, so the folder works from file:// and on any static host. This
returns the files by name, each drawn when its writer asks for it; writing them, and deciding where
they may go, is writing/site.py's."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from kpitrack.formats.html import _plans, _render, linked, target_section
from kpitrack.words.display import group_label, visible
from kpitrack.words.labels import count_words, report_as_of

INDEX = "index.html"
# A plan's folder names its page when each of its parts is a plain name (what files/names.py's
# ID_PATTERN allows a target id, which starts with a letter or digit); others (Chinese folder names)
# are named by a digest. `_` never starts a plain name, so the root's and the digests' never clash.
PLAIN = re.compile(r"[a-z0-9][a-z0-9_-]*")


def plan_file(group: str) -> str:
    """The file name of a plan's page: `plan-luohu-2024.html`, `plan-2024.city.html` for 2024/city."""
    if not group:
        return "plan-_root.html"
    parts = group.split("/")
    if all(PLAIN.fullmatch(part) for part in parts):
        return f"plan-{'.'.join(parts)}.html"
    return f"plan-_{hashlib.sha256(group.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.html"


def target_file(target_id: str) -> str:
    """The file name of a target's page: its id (lower-case letters, digits, - and _) and .html."""
    return f"target-{target_id}.html"


def _plan_meta(plan, lang: str) -> list[Any]:
    """What the index says of a plan's document: issuer, date, period, source (its address a link)."""
    if plan is None:
        return []
    return [visible(value) for value in (plan.issuer, plan.date and plan.date.isoformat(), plan.period) if value] + (
        [linked(visible(plan.source))] if plan.source else [])


class Site:
    """The site's pages: every page's file name, known before any is drawn (its writer checks each
    place and writes its marker first), and the pages as (name, text), each drawn when asked for,
    in the site's language. A target's entries decoded for its page are let go once the page is
    handed on (written): the site holds one page at a time, not the whole record."""

    def __init__(self, report, lang: str) -> None:
        self._report, self._lang = report, lang
        self._groups = report.groups
        self.names = [INDEX] + [name for group, members in self._groups for name in (
            plan_file(group), *(target_file(target.id) for target, _figures in members))]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return _pages(self._report, self._groups, self._lang)


def report_site_of(report, lang: str) -> Site:
    """Every page of the site: the index, one per plan, one per target."""
    return Site(report, lang)


def _pages(report, groups, lang: str) -> Iterator[tuple[str, str]]:
    from kpitrack.formats.show import definition_rows
    from kpitrack.reports.build import let_go
    from kpitrack.words.i18n import speaking

    plans = dict(report.plans)
    with speaking(lang):  # only while a page is drawn: never across a yield, where its writer runs
        heading = report_as_of(report.as_of, lang)
    home = {"href": INDEX, "label": heading}
    index = []
    for group, members in groups:
        with speaking(lang):
            label = group_label(group, plans)
            crumbs = [home, {"href": plan_file(group), "label": label}]
            section = _plans(members, plans, report.others, lang, charts=False)[0]
            index.append({**section, "href": plan_file(group), "meta": _plan_meta(plans.get(group), lang)})
            plan_page = _plans(members, plans, report.others, lang)
            for row in plan_page[0]["rows"]:
                row["href"] = target_file(row["id"])
            text = _render("site.html.j2", lang, label, report.as_of, plan_page, crumbs=[home], kind="plan",
                           definition=[], index=[])
        yield plan_file(group), text
        for target, figures in members:
            with speaking(lang):  # the definition's words are the interface's: the site's language for a while
                definition = [(label, linked(visible(value))) for label, value in definition_rows(target)]
                text = _render("site.html.j2", lang, visible(target.title), report.as_of,
                               _plans([(target, figures)], plans, report.others, lang, charts=False),
                               target_section(target, figures, report.others, lang), crumbs=crumbs,
                               kind="target", definition=definition, index=[])
            yield target_file(target.id), text
            let_go(target)
    with speaking(lang):
        text = _render("site.html.j2", lang, heading, report.as_of, [], crumbs=[], kind="index", definition=[],
                       index=index, total=count_words(len(report.items), lang))
    yield INDEX, text
