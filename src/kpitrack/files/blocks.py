"""A target file's `[[progress]]` tables read as entries, without the schema's checks: for the
readers that must not refuse a file (the door reading a few blocks back, the read-back of an append,
git's merge driver and history) but must agree with every other reader on what an entry says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kpitrack.domain.model import Entry, ReadingQualifier

_FLAGS = ("total", "estimate")


def table_entry(table: Any) -> Entry | None:
    """The entry a [[progress]] table holds, as the schema would read it when the table is valid;
    None when it is not one the schema could read (no date, a figure that is no number…): such a
    table is the same as another only as written."""
    if not isinstance(table, dict) or not isinstance(table.get("date"), date):
        return None
    value = table.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, Decimal))):
        return None
    if any(not isinstance(table.get(flag, False), bool) for flag in _FLAGS):
        return None
    done = table.get("done")
    repeat = table.get("repeat")
    if (done is not None and not isinstance(done, bool)) or (
            repeat is not None and (isinstance(repeat, bool) or not isinstance(repeat, int))):
        return None
    texts = [table.get(key) for key in ("note", "source", "node")]
    if any(text is not None and not isinstance(text, str) for text in texts):
        return None
    qualifier = table.get("qualifier")
    if qualifier is not None:
        try:
            qualifier = ReadingQualifier(qualifier)
        except ValueError:
            return None
    return Entry(date=table["date"], value=Decimal(value) if value is not None else None,
                 total=table.get("total", False), done=done, note=texts[0], source=texts[1],
                 qualifier=qualifier, estimate=table.get("estimate", False), repeat=repeat, node=texts[2])
