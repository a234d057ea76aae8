"""The renderers of the reading commands' formats (status, show, plans, check, export), each
taking the command's report value whole: (report, lang) for text, (report, lang, width) for the
terminal's Rich renderables, an iterator of lines for what streams. formats.registry names them;
each imports its format module when used, so that start-up stays light."""

from __future__ import annotations

from collections.abc import Iterator

from kpitrack.reports.build import Report


def status_table_of(report: Report, lang: str, width: int) -> list:
    from kpitrack.formats.terminal import status_table

    return [status_table(list(report.items), report.as_of, width, tree=report.tree, wide=report.wide)]


def status_json_of(report: Report, lang: str) -> str:
    from kpitrack.formats.machine import status_json

    return status_json(report.as_of, report.items)


def status_csv_of(report: Report, lang: str) -> str:
    from kpitrack.formats.machine import status_csv

    return status_csv(report.items)


def status_markdown_of(report: Report, lang: str) -> str:
    from kpitrack.formats.markdown import status_markdown

    return status_markdown(report.as_of, report.items)


def owner_table_of(report: Report, lang: str, width: int) -> list:
    from kpitrack.formats.terminal import owner_table

    return [owner_table(report.as_of, list(report.owners or ()))]


def owners_json_of(report: Report, lang: str) -> str:
    from kpitrack.formats.machine import owners_json

    return owners_json(report.as_of, list(report.owners or ()))


def owners_markdown_of(report: Report, lang: str) -> str:
    from kpitrack.formats.markdown import owners_markdown

    return owners_markdown(list(report.owners or ()))


def show_table_of(report: Report, lang: str, width: int) -> list:
    from kpitrack.formats.show import show_renderables

    (target, figures), = report.items
    return show_renderables(target, figures, dict(report.others), report.last)


def show_json_of(report: Report, lang: str) -> str:
    from kpitrack.formats.machine import show_json

    (target, figures), = report.items
    return show_json(target, figures, dict(report.others))


def show_html_of(report: Report, lang: str) -> str:
    from kpitrack.formats.html import show_html

    (target, figures), = report.items
    return show_html(target, figures, dict(report.others), lang)


def show_svg_of(report: Report, lang: str) -> str:
    from kpitrack.formats.charts import burnup

    (target, figures), = report.items
    return burnup(target, figures, dict(report.others), lang, small=False) + "\n"


def plans_table_of(report: Report, lang: str, width: int) -> list:
    from kpitrack.formats.terminal import plans_table

    return [plans_table(report.as_of, list(report.items), dict(report.plans), set(report.closed))]


def plans_json_of(report: Report, lang: str) -> str:
    from kpitrack.formats.machine import plans_json

    return plans_json(report.as_of, list(report.items), dict(report.plans), set(report.closed))


def check_lines_of(report: Report, lang: str) -> str:
    from kpitrack.formats.terminal import check_lines

    return check_lines(list(report.items))


def entries_csv_of(report: Report, lang: str) -> Iterator[str]:
    from kpitrack.formats.machine import entries_csv

    return entries_csv(list(report.targets))


def entries_json_of(report: Report, lang: str) -> Iterator[str]:
    from kpitrack.formats.machine import entries_json

    return entries_json(list(report.targets))


def missing_table_of(report: Report, lang: str, width: int) -> list:
    from kpitrack.formats.chase import missing_table

    return [missing_table(report.as_of, list(report.missing))]


def missing_json_of(report: Report, lang: str) -> str:
    from kpitrack.formats.chase import missing_json

    return missing_json(report.as_of, list(report.missing))


def missing_csv_of(report: Report, lang: str) -> str:
    from kpitrack.formats.chase import missing_csv

    return missing_csv(list(report.missing))


def missing_markdown_of(report: Report, lang: str) -> str:
    from kpitrack.formats.chase import missing_markdown

    return missing_markdown(report.as_of, list(report.missing))
