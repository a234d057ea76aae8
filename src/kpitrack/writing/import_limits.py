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


def decode_import(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise KpitrackError(N_("cannot read as {encoding}: {error}"), path, encoding=encoding,
                                error=error) from None
        return text.removeprefix("\ufeff"), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本": UTF-16 with its mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise KpitrackError(N_("starts like UTF-16 but is not; name the file's encoding"), path) from None
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 mark, even before GBK text saved by a confused tool
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = utf8_line(data)
    if mixed:
        raise KpitrackError(N_("mixes encodings: line {utf8} is UTF-8, line {other} is not (GBK?); save the whole "
                               "file in one encoding"), path, utf8=mixed[0], other=mixed[1])
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise KpitrackError(N_("neither UTF-8 nor GBK text; name the file's encoding (gbk, utf-16, …)"), path) from None
