"""The whole record as a static site (`report --format site --out DIR`): an index of every plan with
its summary, a page per plan (its ledger and the targets needing attention, as the page shows them)
and a page per target (its definition, figures, chart and every entry, sources linked).

One look: the page's template (site.html.j2 extends page.html.j2) and its chart helper, called as
they are. The figures are the report's, rendered, never worked out here. Every link is relative and
every page sits beside the index, so the folder works from file:// and on any static host. This
returns the files by name; writing them, and deciding where they may go, is writing/site.py's."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from kpitrack.formats.html import _plans, _render, linked, target_section
from kpitrack.words.display import group_label, visible
from kpitrack.words.labels import count_words, word

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


def report_site_of(report, lang: str) -> dict[str, str]:
    """Every page of the site, by file name: the index, one per plan, one per target."""
    from kpitrack.words.i18n import speaking

    with speaking(lang):  # the definition's words are the interface's: the site's language for a while
        return _pages(report, lang)


def _pages(report, lang: str) -> dict[str, str]:
    from kpitrack.formats.show import definition_rows

    plans = dict(report.plans)
    heading = word("report_as_of", lang, date=report.as_of.isoformat())
    home = {"href": INDEX, "label": heading}
    pages: dict[str, str] = {}
    index = []
    for group, members in report.groups:
        label = group_label(group, plans)
        crumbs = [home, {"href": plan_file(group), "label": label}]
        section = _plans(members, plans, report.others, lang, charts=False)[0]
        index.append({**section, "href": plan_file(group), "meta": _plan_meta(plans.get(group), lang)})
        plan_page = _plans(members, plans, report.others, lang)
        for row in plan_page[0]["rows"]:
            row["href"] = target_file(row["id"])
        pages[plan_file(group)] = _render("site.html.j2", lang, label, report.as_of, plan_page, crumbs=[home],
                                          kind="plan", definition=[], index=[])
        for target, figures in members:
            definition = [(label, linked(visible(value))) for label, value in definition_rows(target)]
            pages[target_file(target.id)] = _render(
                "site.html.j2", lang, visible(target.title), report.as_of,
                _plans([(target, figures)], plans, report.others, lang, charts=False),
                target_section(target, figures, report.others, lang), crumbs=crumbs, kind="target",
                definition=definition, index=[])
    pages[INDEX] = _render("site.html.j2", lang, heading, report.as_of, [], crumbs=[], kind="index",
                           definition=[], index=index, total=count_words(len(report.items), lang))
    return pages
