"""show's burn-up chart (issue 18): an entry dated on the as-of day is drawn; the marker goes beside it."""

from datetime import date

import pytest

from helpers import make_target
from kpitrack.domain.compute import figures
from kpitrack.formats.show import burnup_chart


@pytest.mark.parametrize("as_of", [date(2023, 6, 30), date(2023, 12, 31), date(2024, 2, 1)])
def test_an_entry_on_the_as_of_day_is_drawn_beside_the_marker(as_of):
    target = make_target(entries=[(as_of, 600, True)])  # synthetic
    chart = burnup_chart(target, figures(target, as_of), width=40, height=6).plain.splitlines()
    rows = [line for line in chart if "┤" in line]
    bars = [line.index("█") for line in rows if "█" in line]
    markers = {line.index("│") for line in rows if "│" in line}
    assert len(bars) == 4  # 600 of 1200: rows 0 to 3 of 0 to 5
    assert markers == {bars[0] + 1}


def test_burnup_chart_fits_80_columns_and_reads_without_colour():
    from rich.console import Console
    import io

    target = make_target(unit="家", entries=[(date(2023, 3, 31), 300), (date(2023, 6, 30), 300)])
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(burnup_chart(target, figures(target, date(2023, 6, 30))))
    lines = console.file.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines) and "\x1b" not in console.file.getvalue()
    assert lines[0].startswith("1,200 ┤") and lines[9].startswith("    0 ┤")
    plot = [line[7:] for line in lines[:10]]
    assert {"█", "·", "│"} <= set("".join(plot))
    as_of_column = plot[0].index("│")
    assert all(line[as_of_column + 1:].strip(" ·") == "" for line in plot)  # nothing actual after today
    assert "█ actual  · plan  │ 2023-06-30  (家)" in lines[-1]


def test_a_charts_date_labels_never_print_over_each_other(tmp_path):
    """The as-of day's label was printed over the due date's (2026-11-05 on 2026-12-31, found by a new
    user's trial): it is left out where it has no room; mid-year it stays. Page (SVG), show's SVG
    and Word's pictures (PNG) take the one rule (words/axes.date_ticks)."""
    import re

    from helpers import run, write

    write(tmp_path / "firm.toml", '# synthetic test data\ntitle = "synthetic firms"\nunit = "家"\ntarget = 100\n'
          'start = 2026-01-01\ndue = 2026-12-31\n\n[[progress]]\ndate = 2026-05-31\nvalue = 20\ntotal = true\n')
    for as_of, labels in (("2026-11-05", ["2026-01-01", "2026-12-31"]),
                          ("2026-06-30", ["2026-01-01", "2026-06-30", "2026-12-31"])):
        page = run(tmp_path, "report", "--as-of", as_of, "--format", "html").stdout
        assert re.findall(r">(\d{4}-\d\d-\d\d)</text>", page) == labels, (as_of, page.count("<svg"))
        shown = run(tmp_path, "show", "firm", "--as-of", as_of, "--format", "svg").stdout
        assert sorted(set(re.findall(r">(\d{4}-\d\d-\d\d)</text>", shown))) == labels
    from kpitrack.words.axes import date_ticks
    from datetime import date

    days = (date(2026, 1, 1), date(2026, 11, 5), date(2026, 12, 31))
    assert date_ticks(days, lambda day: (day - days[0]).days * 0.83) == [days[0], days[2]]
    assert date_ticks(days, lambda day: (day - days[0]).days * 2.0) == list(days)  # a wider chart has room
