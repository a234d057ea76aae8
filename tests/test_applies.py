"""The one table of which figures apply to each kind (domain/applies.py), and the status row
that reads it: a figure that does not apply is null in JSON, whatever the target holds."""

from datetime import date
from decimal import Decimal

from kpitrack.domain.applies import APPLIES, applies
from kpitrack.domain.model import Entry, Kind, Target
from kpitrack.reports.report import assess
from kpitrack.reports.rows import status_row


def test_every_kind_has_its_row():
    assert set(APPLIES) == set(Kind)


def test_the_status_row_leaves_out_what_does_not_apply():
    expected_null = {  # the figures each kind does not have, as the outputs have always shown them
        Kind.CUMULATIVE: set(), Kind.LEVEL: set(), Kind.GROWTH: {"schedule"},
        Kind.MILESTONE: {"projected", "schedule", "qualifier"},
        Kind.INDICATOR: {"target", "schedule", "qualifier"},
    }
    for kind, nulls in expected_null.items():
        entries = (Entry(date(2023, 3, 1), done=True),) if kind is Kind.MILESTONE else (
            Entry(date(2023, 3, 1), Decimal("4")),)
        target = Target(id=f"synthetic-{kind.value}", title="synthetic", kind=kind, target=Decimal("10"),
                        start=date(2023, 1, 1), due=date(2023, 12, 31), entries=entries)
        row = status_row(target, assess(target, date(2023, 6, 30)))
        for figure in ("target", "projected", "schedule", "qualifier"):
            if figure in nulls:  # one that applies may still be unknown (None) on the day
                assert row[figure] is None, (kind, figure)
            assert applies(kind, figure) == (figure not in nulls), (kind, figure)
