"""What an import reads at most: a workbook's unpacked size, its rows and columns, and one encoding
per file (issue 23). Limits a user never meets by accident and an attacker cannot pass."""

from __future__ import annotations

import re
from pathlib import Path

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a workbook's parts, unpacked: far past any ledger, far below a zip bomb
MAX_ROWS = 1_000_000  # rows read from a sheet
MAX_COLUMNS = 64  # columns read from a row: a ledger has a dozen


def check_unpacked(path: Path) -> None:
    """Refuse, before openpyxl reads it, a workbook whose parts unpack to more than MAX_UNPACKED_BYTES."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(max(item.file_size, 0) for item in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return  # openpyxl names what is wrong with it
    if unpacked > MAX_UNPACKED_BYTES:
        raise KpitrackError(N_("unpacks to {size} MiB, past the {limit} MiB a workbook may hold; not read"), path,
                            size=unpacked // (1024 * 1024), limit=MAX_UNPACKED_BYTES // (1024 * 1024))


_UTF8_CJK = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")


def utf8_line(data: bytes) -> tuple[int, int] | None:
    """(a line that is UTF-8 text with Chinese in it, a line that is not UTF-8) in a file that is not
    UTF-8 as a whole: one encoding per file, never one read as the other (mojibake)."""
    utf8 = other = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            if utf8 is None and _UTF8_CJK.search(line):
                utf8 = number
        except UnicodeDecodeError:
            other = other or number
        if utf8 and other:
            return utf8, other
    return None
