"""The revisions the journal in .kpitrack/ remembers (fix and import, 30 days): what report --since
lists of them outside git, where the files' history is not there to compare."""

from __future__ import annotations

from datetime import date


def revisions(root, since: date) -> list[dict[str, str]]:
    from pathlib import PurePath

    from kpitrack.writing.journal import journal_records

    found = []
    for record in journal_records(root):
        if record.get("operation") not in ("fix", "import") or record.get("time", "")[:10] < since.isoformat():
            continue
        revised = [{**item, **{key: item.get(key) if isinstance(item.get(key), str) else None
                               for key in ("date", "old", "new")}}
                   for item in record.get("revised", []) if isinstance(item, dict)
                   and isinstance(item.get("id"), str) and isinstance(item.get("summary"), str)]
        if not revised and record.get("operation") == "fix":  # journalled before fixes kept their figures
            revised = [{"id": target_id, "summary": record["summary"], "date": None, "old": None, "new": None}
                       for target_id in record.get("ids") or [PurePath(change["path"]).stem
                                                              for change in record["files"]]]
        found += revised
    return found


def revision_words(record: dict[str, str | None]) -> str:
    """A journalled revision as a report lists it: `2025-08-31: 1000 → 1010`, or its command."""
    if record["date"] and record["old"] and record["new"]:
        return f"{record['date']}: {record['old']} → {record['new']}"
    return record["summary"]
