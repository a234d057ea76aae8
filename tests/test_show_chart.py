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
